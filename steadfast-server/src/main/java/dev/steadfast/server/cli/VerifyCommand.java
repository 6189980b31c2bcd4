package dev.steadfast.server.cli;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.replica.HealthMonitor;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.server.cli.storage.ArchiveOptions;
import dev.steadfast.server.cli.storage.ProgressBars;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.node.StorageTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code steadfast verify}: repair and scrub the storage targets now, with a progress bar and a report. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks every stored object on every storage target and repairs missing or damaged copies"
                + " from a good one. Objects the archive did not write (no index record, no checksum recorded with"
                + " them) are listed and left alone.",
                "Reads the same configuration as serve (--config, STEADFAST_* variables, --data, --db). Can run while"
                        + " serve runs on the same data.",
                "Exit status: 0 all copies good, 1 some object has no good copy or a target was down, 2 usage or"
                        + " configuration error."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveOptions where;

    @Option(names = "--repair-only", description = "Only copy missing replicas (existence checks, no reading)")
    boolean repairOnly;

    @Option(names = "--objects-per-second", paramLabel = "N", defaultValue = "0",
            description = "Pace: at most N objects a second (default: no limit)")
    double objectsPerSecond;

    @Option(names = "--mb-per-second", paramLabel = "N", defaultValue = "0",
            description = "Pace: read at most N MB a second (default: no limit)")
    long mbPerSecond;

    @Option(names = "--no-index", description = "Do not consult the index for checksums (use those stored beside the copies)")
    boolean noIndex;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig config;
        try {
            config = where.load("verify", System.getenv(), err);
        } catch (ConfigException e) {
            err.println("steadfast verify: bad configuration: " + e.getMessage());
            return 2;
        }
        // No sweep of temporary files: a serve on the same targets may be writing them right now.
        ReplicatedStorage storage = StorageTargets.openExisting(config.storage(), config.data().resolve("audit"));
        try (Index index = noIndex ? null : Index.open(config.index());
             ProgressBars bar = new ProgressBars(repairOnly ? "repair" : "verify")) {
            try (HealthMonitor m = new HealthMonitor(storage, t -> { })) {
                m.checkNow();
            }
            Scrubber scrubber = new Scrubber(storage, index == null ? Scrubber.Expected.NONE : new IndexChecksums(index),
                    new Pace(objectsPerSecond, mbPerSecond << 20));
            ScrubReport report = repairOnly ? scrubber.repairAll(bar) : scrubber.scrub(bar);
            bar.close();
            out.println("storage: " + storage.targets() + "; index: " + (index == null ? "not used" : config.index().jdbcUrl().replaceFirst("\\?.*", "")));
            out.print(report.render());
            out.flush();
            return report.clean() ? 0 : 1;
        } finally {
            StorageTargets.close(storage);
        }
    }
}
