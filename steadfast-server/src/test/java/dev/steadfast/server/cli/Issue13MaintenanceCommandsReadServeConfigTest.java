package dev.steadfast.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.Main;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code verify} and {@code reindex} work on the archive {@code serve} runs, read from the
 * same configuration file, {@code STEADFAST_*} variables and flags ({@code --config}, {@code --data},
 * {@code --db}), instead of checking {@code ./steadfast-data} and reporting success on the wrong archive.
 */
class Issue13MaintenanceCommandsReadServeConfigTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Stores {@code n} instances through a node started from {@code flags} (as serve would); returns their storage keys. */
    static List<String> storeThroughServe(Path yaml, Map<String, String> flags, int n) throws Exception {
        Map<String, String> f = new java.util.LinkedHashMap<>(flags);
        f.put("dicom.port", "0");
        f.put("dicom.bind", "127.0.0.1");
        f.put("http.enabled", "false");
        f.put("storage.min-free-mb", "1");
        List<String> keys = new ArrayList<>();
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.CTImageStorage, UID.ExplicitVRLittleEndian);
        try (ArchiveNode node = ArchiveNode.start(ConfigLoader.load(yaml, Map.of(), f, List.of()));
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            String study = uid();
            String series = uid();
            for (int i = 0; i < n; i++) {
                String sop = uid();
                byte[] ds = instance(study, series, sop);
                assertThat(c.store(new dev.steadfast.net.dimse.StoreSource() {
                    public String sopClassUid() { return UID.CTImageStorage; }
                    public String sopInstanceUid() { return sop; }
                    public String transferSyntaxUid() { return UID.ExplicitVRLittleEndian; }
                    public java.io.InputStream openDataset() { return new java.io.ByteArrayInputStream(ds); }
                }, null, -1).status()).isEqualTo(Status.SUCCESS);
                keys.add(node.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey());
            }
        }
        return keys;
    }

    private static final java.util.concurrent.atomic.AtomicLong SEQ = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() % 1_000_000_000L);

    static String uid() {
        return "2.25.13" + SEQ.incrementAndGet();
    }

    static byte[] instance(String study, String series, String sop) throws java.io.IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.PatientID, VR.LO, "MAINT");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
        return DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
    }

    static void damage(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0x21);
        }
    }

    @Test
    void verifyWithServesConfigFileChecksAndRepairsTheConfiguredTargets() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path yaml = dir.resolve("steadfast.yaml");
        Files.writeString(yaml, "data: " + dir.resolve("data") + "\nstorage:\n  targets:\n    - fs:" + a + "\n    - fs:" + b + "\n");
        List<String> keys = storeThroughServe(yaml, Map.of(), 3);
        damage(b.resolve(keys.get(1)));

        Run r = run("verify", "--config", yaml.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("objects checked:   3").contains("damaged repaired:  1");
        assertThat(Files.readAllBytes(b.resolve(keys.get(1)))).isEqualTo(Files.readAllBytes(a.resolve(keys.get(1))));

        // reindex of the same archive into the index its configuration names, with serve's --db
        Path rebuilt = dir.resolve("rebuilt.db");
        r = run("reindex", "--config", yaml.toString(), "--db", "jdbc:sqlite:" + rebuilt, "--threads", "2");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("indexed:            3");
    }

    @Test
    void verifyAndReindexReadStorageAndDataFromServesEnvironmentVariables() throws Exception {
        Path data = dir.resolve("data");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String targets = "fs:" + a + ",fs:" + b;
        List<String> keys = storeThroughServe(null, Map.of("data", data.toString(), "storage.targets", targets), 4);
        damage(a.resolve(keys.get(2)));
        Path cwd = Files.createDirectories(dir.resolve("elsewhere"));
        Map<String, String> env = Map.of("STEADFAST_DATA", data.toString(), "STEADFAST_STORAGE_TARGETS", targets);

        Forked v = fork(cwd, env, "verify");
        assertThat(v.code).as(v.output).isZero();
        assertThat(v.output).contains("objects checked:   4").contains("damaged repaired:  1");
        assertThat(Files.readAllBytes(a.resolve(keys.get(2)))).isEqualTo(Files.readAllBytes(b.resolve(keys.get(2))));
        assertThat(cwd.resolve("steadfast-data")).as("nothing looked for in ./steadfast-data").doesNotExist();

        Files.delete(data.resolve("index.db"));
        Forked r = fork(cwd, env, "reindex", "--threads", "2");
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).contains("indexed:            4");
        assertThat(cwd.resolve("steadfast-data")).doesNotExist();
    }

    @Test
    void theOldOptionNamesStillWorkAndSayWhatReplacesThem() throws Exception {
        Path data = dir.resolve("data");
        Path mirror = dir.resolve("mirror");
        List<String> keys = storeThroughServe(null, Map.of("data", data.toString(),
                "storage.targets", "fs:" + data.resolve("storage") + ",fs:" + mirror), 2);
        Files.delete(mirror.resolve(keys.get(0)));
        Run r = run("verify", "--data", data.toString(), "--storage", data.resolve("storage").toString(), "--storage", mirror.toString(),
                "--index", "jdbc:sqlite:" + data.resolve("index.db"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("missing repaired:  1");
        assertThat(r.err()).contains("--index is deprecated; use --db").contains("--storage is deprecated");
        assertThat(mirror.resolve(keys.get(0))).exists();

        r = run("verify", "--config", dir.resolve("missing.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("steadfast verify: bad configuration:").contains("missing.yaml");
    }

    @Test
    void aConfiguredTargetThatIsMissingIsReportedNotCreatedAndFilled() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path yaml = dir.resolve("steadfast.yaml");
        Files.writeString(yaml, "data: " + dir.resolve("data") + "\nstorage:\n  targets:\n    - fs:" + a + "\n    - fs:" + b + "\n");
        storeThroughServe(yaml, Map.of(), 2);
        Path unmounted = dir.resolve("unmounted");
        Files.move(b, unmounted); // as a mount that is not there
        Run r = run("verify", "--config", yaml.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("targets down (not checked): fs:" + b);
        assertThat(b).as("not created, so repair cannot fill the mount point").doesNotExist();
        r = run("reindex", "--config", yaml.toString(), "--db", "jdbc:sqlite:" + dir.resolve("fresh.db"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("steadfast reindex: storage target fs:" + b + " is not a folder");
    }

    record Forked(int code, String output) {}

    /** The real command in its own JVM, with these environment variables and working folder. */
    static Forked fork(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.steadfast.server.Main"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(cwd.getParent(), "cmd-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("STEADFAST_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("finished").isTrue();
        } finally {
            Peers.stop(p);
        }
        return new Forked(p.exitValue(), Files.readString(log));
    }
}
