package dev.steadfast.server.cli;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.reindex.ReindexReport;
import dev.steadfast.archive.reindex.Reindexer;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.server.cli.storage.ArchiveOptions;
import dev.steadfast.server.cli.storage.ProgressBars;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.config.StorageTargetConfig;
import dev.steadfast.server.node.StorageTargets;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code steadfast reindex}: rebuild the index from storage alone. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = {"Rebuilds the index from the storage targets alone (for a lost index, or a fresh machine"
                + " pointed at another machine's storage). Resumable: instances already indexed are skipped.",
                "Reads each object's header (up to Pixel Data) and the checksum recorded with it at ingest; such instances"
                        + " stay 'unverified since reindex' (shown by /health) until verify or the background scrub has read them."
                        + " Objects without a recorded checksum, and every object with --full, are read and hashed in full.",
                "Reads the same configuration as serve (--config, STEADFAST_* variables, --data, --db).",
                "Exit status: 0 everything indexed (objects the archive did not write are listed, not indexed), 1 some"
                        + " objects were damaged or unreadable (listed), 2 usage or configuration error."})
public final class ReindexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveOptions where;

    @Option(names = "--threads", paramLabel = "N", description = "Objects read in parallel (default: cores, at least 2)")
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
            description = "Instances per index transaction (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--full", description = "Read and hash every byte now (slow: disk speed) instead of reading headers"
            + " and taking the checksum recorded at ingest, which leaves the bytes to verify (scrub)")
    boolean full;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig config;
        try {
            config = where.load("reindex", System.getenv(), err);
        } catch (ConfigException e) {
            err.println("steadfast reindex: bad configuration: " + e.getMessage());
            return 2;
        }
        Files.createDirectories(config.data()); // a fresh machine: the SQLite index is made here
        for (StorageTargetConfig t : config.storage().targets()) {
            if (t instanceof StorageTargetConfig.FileSystem fs && !Files.isDirectory(fs.path())) {
                // Nothing to rebuild from: say so, rather than report an empty archive as rebuilt.
                err.println("steadfast reindex: storage target " + t.name() + " is not a folder: " + fs.path());
                return 1;
            }
        }
        ReplicatedStorage storage = StorageTargets.openExisting(config.storage(), config.data().resolve("audit"));
        try (Index index = Index.open(config.index());
             ProgressBars bar = new ProgressBars("reindex")) {
            ReindexReport report = new Reindexer(storage, index, threads, batch, !full).run(bar);
            bar.close();
            out.println("storage: " + storage.targets() + "; index: " + config.index().jdbcUrl().replaceFirst("\\?.*", ""));
            out.print(report.render());
            out.flush();
            return report.damaged().isEmpty() && report.unreadable().isEmpty() ? 0 : 1;
        } finally {
            StorageTargets.close(storage);
        }
    }
}
