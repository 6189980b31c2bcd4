package dev.steadfast.server.ops;

import dev.steadfast.archive.health.HealthStatus;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.replica.HealthMonitor;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.dicom.json.JsonOut;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What {@code /health} reports, each time it is asked, from the archive's own health records:
 * every storage target is probed once ({@link HealthMonitor#checkNow}, which also feeds its circuit
 * breaker), the index answers a lookup (which feeds the index breaker), and the ingest journal
 * says how many instances wait to be indexed. The rule (docs/DEPLOYMENT.md, "Health and metrics"):
 * <ul>
 * <li>{@code DOWN} (503): the write policy cannot be met (too few targets up, or with at least
 *     the free-space reserve), or the DICOM port does not listen;</li>
 * <li>{@code DEGRADED} (200): ingest works, but the index is unreachable (instances go to the
 *     journal), some target is down, or some copy is known to be missing or damaged and waits for
 *     repair (fewer good copies than configured: {@code storage.redundancy} {@code reduced});</li>
 * <li>{@code UP} (200): everything answers.</li>
 * </ul>
 */
public final class HealthCheck {
    public enum Status { UP, DEGRADED, DOWN }

    private final Index index;
    private final IngestJournal journal;
    private final ReplicatedStorage storage;
    private final HealthMonitor monitor;
    private final Function<Target, Path> folderOf;
    private final long minFreeBytes;
    private final BooleanSupplier dicomUp;
    private static final long UNVERIFIED_RECOUNT_NANOS = 60_000_000_000L;
    private volatile long unverified = -1;
    private volatile long unverifiedCountedAt;

    /**
     * @param folderOf the folder of a filesystem target (for its free space), null for other kinds
     */
    public HealthCheck(Index index, IngestJournal journal, ReplicatedStorage storage, HealthMonitor monitor,
                       Function<Target, Path> folderOf, long minFreeBytes, BooleanSupplier dicomUp) {
        this.index = index;
        this.journal = journal;
        this.storage = storage;
        this.monitor = monitor;
        this.folderOf = folderOf;
        this.minFreeBytes = minFreeBytes;
        this.dicomUp = dicomUp;
    }

    /**
     * One target: its breaker's record, the copies on it known to be damaged (part of its pending
     * repairs) and, for a filesystem target, the sizes of its filesystem (-1 when unknown).
     */
    public record TargetState(HealthStatus health, long damagedCopies, long freeBytes, long totalBytes) {
        /** Up, and (when its size is known) with at least the reserve free. */
        boolean usable(long minFreeBytes) {
            return health.up() && (totalBytes < 0 || freeBytes >= minFreeBytes);
        }
    }

    /**
     * @param journalBacklog instances acknowledged and not yet indexed: this node's, plus those in the
     *                       journal folders of gone nodes on a shared journal (issue 15)
     * @param journal        whose they are
     */
    public record Report(boolean indexReachable, String indexError, long journalBacklog, List<TargetState> targets,
                         int required, String policy, long minFreeBytes, boolean dicomListening,
                         long unverifiedSinceReindex, IngestJournal.Backlog journal) {
        public Report {
            targets = List.copyOf(targets);
        }

        /** Targets that take writes now. */
        public long usableTargets() {
            return targets.stream().filter(t -> t.usable(minFreeBytes)).count();
        }

        /** Enough targets answer their probe to meet the write policy (free space aside). */
        public boolean writable() {
            return targets.stream().filter(t -> t.health().up()).count() >= required;
        }

        public Status status() {
            if (!dicomListening || usableTargets() < required) {
                return Status.DOWN;
            }
            return indexReachable && usableTargets() == targets.size() && fullRedundancy() ? Status.UP : Status.DEGRADED;
        }

        /** Every target up and no copy known to be missing or damaged. */
        public boolean fullRedundancy() {
            return targets.stream().allMatch(t -> t.health().up() && t.health().pendingRepairs() == 0);
        }

        /** 200 while instances are acknowledged (UP or DEGRADED), 503 when they are not. */
        public boolean ready() {
            return status() != Status.DOWN;
        }

        /** The JSON body of /health. */
        public String json() {
            StringBuilder b = new StringBuilder("{\"status\":\"").append(status()).append("\",");
            b.append("\"index\":{\"reachable\":").append(indexReachable);
            if (indexError != null) {
                b.append(",\"error\":").append(JsonOut.quote(indexError));
            }
            b.append("},\"journal\":{\"backlog\":").append(journalBacklog);
            if (journal != null) {
                // Whose: this node's, and each other node's folder with entries (gone: waiting for a drain).
                b.append(",\"own\":").append(journal.own()).append(",\"nodes\":[");
                int i = 0;
                for (var e : journal.others().entrySet()) {
                    b.append(i++ == 0 ? "" : ",").append("{\"nodeId\":").append(JsonOut.quote(e.getKey()))
                            .append(",\"backlog\":").append(e.getValue())
                            .append(",\"gone\":").append(journal.gone().contains(e.getKey())).append('}');
                }
                b.append(']');
            }
            b.append('}');
            TargetState first = targets.stream().filter(t -> t.totalBytes() >= 0).findFirst().orElse(null);
            b.append(",\"storage\":{\"writable\":").append(writable())
                    .append(",\"redundancy\":\"").append(fullRedundancy() ? "full" : "reduced").append('"')
                    .append(",\"policy\":").append(JsonOut.quote(policy))
                    .append(",\"required\":").append(required)
                    .append(",\"usable\":").append(usableTargets())
                    .append(",\"freeBytes\":").append(first == null ? -1 : first.freeBytes())
                    .append(",\"totalBytes\":").append(first == null ? -1 : first.totalBytes())
                    .append(",\"minFreeBytes\":").append(minFreeBytes)
                    .append(",\"targets\":[");
            for (int i = 0; i < targets.size(); i++) {
                TargetState t = targets.get(i);
                HealthStatus h = t.health();
                b.append(i == 0 ? "" : ",").append("{\"name\":").append(JsonOut.quote(h.name()))
                        .append(",\"up\":").append(h.up())
                        .append(",\"circuit\":\"").append(h.state()).append('"')
                        .append(",\"consecutiveFailures\":").append(h.consecutiveFailures())
                        .append(",\"pendingRepairs\":").append(h.pendingRepairs())
                        .append(",\"damagedCopies\":").append(t.damagedCopies());
                if (t.totalBytes() >= 0) {
                    b.append(",\"freeBytes\":").append(t.freeBytes()).append(",\"totalBytes\":").append(t.totalBytes());
                }
                if (!h.up() && h.lastError() != null) {
                    b.append(",\"error\":").append(JsonOut.quote(h.lastError()));
                }
                b.append('}');
            }
            b.append("]},\"dicom\":{\"listening\":").append(dicomListening).append('}');
            // Instances a header-only reindex indexed and no scrub has read yet (-1: not counted yet).
            b.append(",\"verification\":{\"unverifiedSinceReindex\":").append(unverifiedSinceReindex).append("}}");
            return b.toString();
        }
    }

    /** Probes the targets and the index now. */
    public Report check() {
        monitor.checkNow();
        String indexError = null;
        try {
            index.read(tx -> tx.instances().find("0"));
        } catch (RuntimeException e) {
            indexError = String.valueOf(e.getMessage());
        }
        if (indexError == null) {
            countUnverified();
        }
        return report(indexError == null, indexError);
    }

    /** The last known state, without probing (this node's own journal backlog): for /metrics. */
    public Report lastKnown() {
        HealthStatus ih = journal.health();
        return report(ih.up(), ih.lastError(), null);
    }

    private Report report(boolean indexReachable, String indexError) {
        return report(indexReachable, indexError, journal.backlog());
    }

    private Report report(boolean indexReachable, String indexError, IngestJournal.Backlog backlog) {
        List<HealthStatus> health = storage.health();
        List<TargetState> targets = new ArrayList<>();
        for (int i = 0; i < health.size(); i++) {
            Path folder = folderOf.apply(storage.targets().get(i));
            long free = -1;
            long total = -1;
            if (folder != null) {
                try {
                    FileStore fs = Files.getFileStore(folder);
                    free = fs.getUsableSpace();
                    total = fs.getTotalSpace();
                } catch (IOException e) {
                    // a missing folder: the probe has marked the target down already
                }
            }
            targets.add(new TargetState(health.get(i), storage.damagedCopies(storage.targets().get(i)).size(), free, total));
        }
        return new Report(indexReachable, indexError, backlog == null ? journal.pending() : backlog.total(), targets,
                storage.required(), storage.policy().required() == 0 ? "all" : storage.required() + " of " + health.size(),
                minFreeBytes, dicomUp.getAsBoolean(), unverified, backlog);
    }

    /** Counts the instances still pending since a header-only reindex, at most once a minute (a table scan). */
    private void countUnverified() {
        long now = System.nanoTime();
        if (unverified >= 0 && now - unverifiedCountedAt < UNVERIFIED_RECOUNT_NANOS) {
            return;
        }
        try {
            unverified = dev.steadfast.archive.reindex.Unverified.count(index);
            unverifiedCountedAt = now;
        } catch (RuntimeException e) {
            // the index is down: the last count stands
        }
    }
}
