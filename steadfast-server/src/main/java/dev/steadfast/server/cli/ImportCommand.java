package dev.steadfast.server.cli;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.server.cli.importer.ImportJournal;
import dev.steadfast.server.cli.importer.ImportProgress;
import dev.steadfast.server.cli.importer.ImportReport;
import dev.steadfast.server.cli.importer.Importer;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.node.StorageTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code steadfast import}: bulk-load files, folders and DICOMDIR media into the archive, in process. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Loads DICOM files, folders (recursively) and DICOMDIR media into the archive, in process (no"
                + " network), with the same durability, checksums, index and duplicate policy as a C-STORE.",
                "Reads the same configuration as serve (--config, STEADFAST_* variables, --data, --db). Can run while"
                        + " serve runs on the same data. Resumable: run the same command again after an interruption.",
                "Exit status: 0 every DICOM file imported (non-DICOM files are skipped), 1 some file failed (listed)"
                        + " or the run was interrupted, 2 usage or configuration error."})
public final class ImportCommand implements Callable<Integer> {
    /** Under the data folder: one line per file imported, read by the next run. */
    public static final String JOURNAL = "import-journal.tsv";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "DICOM files, folders or DICOMDIR files")
    List<Path> paths;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (as for serve).")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Base folder for storage and the SQLite index (default ./steadfast-data).")
    String data;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "Index database (default SQLite in the data folder).")
    String db;

    @Option(names = "--duplicates", paramLabel = "POLICY",
            description = "An instance already stored with different bytes: replace, keep-first or reject"
                    + " (default: ingest.duplicates of the configuration, reject).")
    String duplicates;

    @Option(names = "--threads", paramLabel = "N", description = "Files imported in parallel (default: cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--rescan", description = "Ignore what earlier runs recorded as imported and read every file"
            + " again (duplicates are still recognised by the index).")
    boolean rescan;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else lines), bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--progress-seconds", paramLabel = "N", defaultValue = "10",
            description = "Seconds between progress lines when not on a terminal (default: ${DEFAULT-VALUE}).")
    int progressSeconds;

    @Option(names = "--files-per-second", paramLabel = "N", defaultValue = "0",
            description = "Pace: at most N files a second, to leave room for a running serve (default: no limit).")
    double filesPerSecond;

    @Option(names = "--mb-per-second", paramLabel = "N", defaultValue = "0",
            description = "Pace: read at most N MB a second (default: no limit).")
    long mbPerSecond;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig config;
        ImportProgress.Mode mode;
        try {
            config = ConfigLoader.load(configFile, System.getenv(), flags(), List.of());
            mode = ImportProgress.Mode.valueOf(progress.toUpperCase(java.util.Locale.ROOT));
            if (threads < 1 || filesPerSecond < 0 || mbPerSecond < 0) {
                throw new IllegalArgumentException("--threads must be at least 1 and paces not negative");
            }
        } catch (ConfigException e) {
            err.println("steadfast import: bad configuration: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("steadfast import: " + (e.getMessage().startsWith("No enum") ? "--progress must be auto, bar,"
                    + " lines or none" : e.getMessage()));
            return 2;
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("steadfast import: no such file or folder: " + p);
                return 2;
            }
        }
        Files.createDirectories(config.data());
        // No sweep of temporary files: a serve on the same targets may be writing them right now.
        ReplicatedStorage targets = StorageTargets.open(config.storage(), config.data().resolve("audit"), false);
        try (Index index = Index.open(config.index());
             ImportJournal journal = new ImportJournal(config.data().resolve(JOURNAL), !rescan);
             // Its own locked folder under <data>/tmp, as serve's: a serve beside it never removes it.
             var scratch = dev.steadfast.archive.storage.ScratchFolder.open(config.data().resolve("tmp"))) {
            targets.temporaryFolder(scratch.path());
            Storage storage = targets.targets().size() == 1 ? targets.targets().get(0).storage() : targets;
            // The same forward rules as serve: imported instances are queued, and serve sends them (issue 17).
            dev.steadfast.server.forward.Forwarding.route(config, index);
            // No ingest journal: with the index down a file fails (and is imported by the next run)
            // rather than being acknowledged into a journal that only serve replays.
            IngestService ingest = new IngestService(storage, index, config.ingest(), Clock.systemUTC(), null);
            ingest.temporaryFolder(scratch.path());
            Importer importer = new Importer(ingest, index, journal, threads, new Pace(filesPerSecond, mbPerSecond << 20));
            CountDownLatch finished = new CountDownLatch(1);
            Thread onSignal = new Thread(() -> {
                importer.stop();
                try {
                    finished.await(60, TimeUnit.SECONDS); // the files in progress complete; then the JVM exits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "import-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                ImportReport report;
                try (ImportProgress shown = new ImportProgress(importer.report(), mode, err, progressSeconds)) {
                    report = importer.run(paths);
                }
                out.print(report.render()); // also after Ctrl-C: the hook waits for this
                out.flush();
                return report.failedCount() == 0 && !report.wasInterrupted() ? 0 : 1;
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waited for us
                }
            }
        } finally {
            StorageTargets.close(targets);
        }
    }

    private Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        if (data != null) {
            f.put("data", data);
        }
        if (db != null) {
            f.put("index.url", db);
        }
        if (duplicates != null) {
            f.put("ingest.duplicates", duplicates);
        }
        return f;
    }

}
