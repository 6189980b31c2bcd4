package dev.steadfast.server.cli;

import dev.steadfast.archive.index.Index;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.server.cli.ImportCommandTest.Run;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.steadfast.server.cli.ImportCommandTest.datasetBytes;
import static dev.steadfast.server.cli.ImportCommandTest.header;
import static dev.steadfast.server.cli.ImportCommandTest.importable;
import static dev.steadfast.server.cli.ImportCommandTest.importInto;
import static dev.steadfast.server.cli.ImportCommandTest.run;
import static dev.steadfast.server.cli.ImportCommandTest.stored;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code steadfast import} killed half way and run again, and run beside a serving node on the same data. */
class ImportInterruptedTest {
    @TempDir
    Path dir;

    @Test
    void anImportKilledHalfWayAndRunAgainStoresEveryInstanceOnce() throws Exception {
        Path root = Corpus.root();
        Path[] folders = {root.resolve("ct"), root.resolve("mr"), root.resolve("us")};
        Map<String, List<Path>> expected = importable(folders);
        Path data = dir.resolve("data");
        Path journal = data.resolve(ImportCommand.JOURNAL);
        Path log = dir.resolve("import.log");
        Process p = fork(data, log, folders);
        long journaled;
        try {
            waitForJournal(p, journal, 5, log);
            p.destroyForcibly(); // SIGKILL: no shutdown hook, files in progress are cut off
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            Peers.stop(p);
        }
        journaled = lines(journal);
        assertThat(journaled).isBetween(5L, (long) expected.size() - 1);

        Run again = importInto(data, folders[0].toString(), folders[1].toString(), folders[2].toString());

        // What the journal had is not read again; the file being stored at the kill, if it made it, is a duplicate.
        assertThat(again.count("done earlier")).isGreaterThanOrEqualTo(journaled - 1);
        assertThat(again.count("already present")).isLessThanOrEqualTo(2);
        try (Index index = ImportCommandTest.index(data)) {
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(expected.size());
            for (Map.Entry<String, List<Path>> e : expected.entrySet()) {
                var rec = stored(index, e.getKey()).orElseThrow(() -> new AssertionError("missing " + e.getValue()));
                byte[] kept = datasetBytes(data.resolve("storage").resolve(rec.storageKey()));
                assertThat(e.getValue().stream().anyMatch(src -> {
                    try {
                        return java.util.Arrays.equals(kept, datasetBytes(src));
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                })).as("%s stored bit for bit", e.getValue()).isTrue();
            }
        }
    }

    @Test
    void ctrlCLetsTheFilesInProgressFinishAndPrintsTheSummary() throws Exception {
        Path root = Corpus.root();
        Path data = dir.resolve("data");
        Path journal = data.resolve(ImportCommand.JOURNAL);
        Path log = dir.resolve("import.log");
        Process p = fork(data, log, root.resolve("ct"), root.resolve("mr"), root.resolve("us"));
        try {
            waitForJournal(p, journal, 3, log);
            p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the run
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            Peers.stop(p);
        }
        String out = Files.readString(log);
        assertThat(out).contains("import interrupted: run the same command again to continue").contains("imported:");
        assertThat(p.exitValue()).isNotZero();
        // Nothing half-written is left behind in storage: the files in progress completed or were removed.
        try (var files = Files.walk(data.resolve("storage"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(".")).toList()).isEmpty();
        }
    }

    private static Process fork(Path data, Path log, Path... folders) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.steadfast.server.Main", "import", "--data", data.toString(), "--threads", "1",
                // Paced so the signal lands in the middle of the run, not after it.
                "--files-per-second", "10", "--progress", "lines", "--progress-seconds", "1"));
        for (Path f : folders) {
            cmd.add(f.toString());
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long waitForJournal(Process p, Path journal, long lines, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a guard, not a measurement
        long n;
        while ((n = lines(journal)) < lines && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("still importing; log:%n%s", Files.readString(log)).isTrue();
        return n;
    }

    @Test
    void importsBesideARunningServeProcessOnTheSameSqliteData() throws Exception {
        Path root = Corpus.root();
        Path data = dir.resolve("data");
        Map<String, List<Path>> imported = importable(root.resolve("xray"), root.resolve("us"));
        Map<String, List<Path>> sent = importable(root.resolve("nm_pt"), root.resolve("rt"));
        int port = Peers.freePort();
        // serve in its own JVM, as in production: SQLite's locks between processes are what is tested here.
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.steadfast.server.Main", "serve", "--data", data.toString(), "--dicom-port", String.valueOf(port),
                "--http-port", "0").redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile());
        pb.environment().put("STEADFAST_DICOM_BIND", "127.0.0.1");
        pb.environment().put("STEADFAST_SHUTDOWN_GRACE_SECONDS", "5");
        Process serve = pb.start();
        try {
            Peers.awaitPort(port, serve, 60_000);
            String peer = "STEADFAST@127.0.0.1:" + port;
            List<String> send = new ArrayList<>(List.of("send", "--to", peer));
            sent.values().forEach(paths -> send.add(paths.getFirst().toString()));
            // Both write the same index and storage at once: serve through C-STORE, import in this JVM.
            CompletableFuture<Run> storing = CompletableFuture.supplyAsync(() -> run(send.toArray(String[]::new)));
            Run imp = importInto(data, root.resolve("xray").toString(), root.resolve("us").toString());
            Run stores = storing.get(120, TimeUnit.SECONDS);

            assertThat(imp.code()).as(imp.out()).isZero();
            assertThat(imp.count("imported")).isEqualTo(imported.size());
            assertThat(stores.code()).as(stores.out() + stores.err()).isZero();
            // The running serve answers C-FIND for what import stored, from the shared index, with no restart.
            for (Map.Entry<String, List<Path>> e : imported.entrySet()) {
                Dataset h = header(e.getValue().getFirst());
                Run found = run("find", peer, "-L", "IMAGE", "-k", "StudyInstanceUID=" + h.getString(Tag.StudyInstanceUID),
                        "-k", "SeriesInstanceUID=" + h.getString(Tag.SeriesInstanceUID), "-k", "SOPInstanceUID=" + e.getKey());
                assertThat(found.code()).as(found.err()).isZero();
                assertThat(found.out().lines()).as("C-FIND for %s", e.getValue().getFirst()).hasSize(1);
            }
        } finally {
            Peers.stop(serve);
        }
        try (Index index = ImportCommandTest.index(data)) {
            assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(imported.size() + sent.size());
        }
    }

    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.filter(l -> l.endsWith(".dcm") || l.contains("\t/")).count();
        }
    }
}
