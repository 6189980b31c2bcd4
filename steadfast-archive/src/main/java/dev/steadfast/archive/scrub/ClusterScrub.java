package dev.steadfast.archive.scrub;

import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.archive.storage.StorageKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scrub as cluster jobs: a recurring {@value #CYCLE} job (one node runs it per interval) splits
 * the objects into as many partitions as there are live nodes, by a hash of the storage key, and
 * schedules one {@value #PARTITION} job per partition. Each partition is claimed by one node, so a
 * cycle reads every object once whatever the number of nodes; a partition whose node dies
 * mid-way is run again by another. A node scrubs one partition at a time: one it claims while busy
 * is handed back (queued again a little later) for a free node, so the reading spreads over the
 * nodes and no node reads at twice the configured pace. One node alone scrubs everything, as before.
 */
public final class ClusterScrub {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterScrub.class);
    public static final String CYCLE = "scrub-cycle";
    public static final String PARTITION = "scrub-partition";

    private final Scrubber scrubber;
    private final Supplier<List<String>> liveNodes;
    private final AtomicReference<ScrubReport> lastPartition = new AtomicReference<>();
    private final AtomicLong objectsChecked = new AtomicLong();
    private final AtomicLong partitionsRun = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
    private ClusterJobs.OneOff partitions;
    private Duration handBack = Duration.ofSeconds(10);

    /** @param liveNodes the ids of the nodes up now (the partition count) */
    public ClusterScrub(Scrubber scrubber, Supplier<List<String>> liveNodes) {
        this.scrubber = scrubber;
        this.liveNodes = liveNodes;
    }

    /** Registers both jobs; {@code every} zero leaves the scrub off (no cycle, partitions still run if scheduled). */
    public ClusterScrub register(ClusterJobs jobs, Duration every) {
        partitions = jobs.oneOff(PARTITION, 3, Duration.ofMinutes(1), this::scrubPartition);
        handBack = jobs.timing().pollingInterval().multipliedBy(2); // time for the other nodes' polls
        if (!every.isZero()) {
            jobs.recurring(CYCLE, every, this::startCycle);
        }
        return this;
    }

    /** Schedules one partition job per live node for this cycle. */
    void startCycle() {
        int n = Math.max(1, liveNodes.get().size());
        String cycle = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < n; i++) {
            partitions.schedule(cycle + "-" + i + "-of-" + n, i + "/" + n + "/" + cycle);
        }
        LOG.info("scrub cycle {}: {} partitions, one per live node", cycle, n);
    }

    private void scrubPartition(String data) throws java.io.IOException {
        String[] f = data.split("/");
        int part = Integer.parseInt(f[0]);
        int of = Integer.parseInt(f[1]);
        if (!busy.compareAndSet(false, true)) {
            String cycle = f.length > 2 ? f[2] : "?";
            partitions.schedule(cycle + "-" + part + "-of-" + of + "-" + Long.toString(System.nanoTime(), 36), data,
                    java.time.Instant.now().plus(handBack));
            return; // this node is scrubbing another partition: leave this one to a free node
        }
        ScrubReport r;
        try {
            r = scrubber.scrub(Progress.NONE, key -> partitionOf(key, of) == part);
        } finally {
            busy.set(false);
        }
        lastPartition.set(r);
        objectsChecked.addAndGet(r.objects());
        partitionsRun.incrementAndGet();
        LOG.info("background scrub, partition {} of {}: {} objects, {} repaired, {} without a good copy", part + 1, of,
                r.objects(), r.missingRepaired() + r.damagedRepaired(), r.unrepairable().size());
    }

    /** The partition of a key: stable across nodes and restarts (String.hashCode is specified). */
    static int partitionOf(StorageKey key, int partitions) {
        return Math.floorMod(key.path().hashCode(), partitions);
    }

    /** The report of the last partition this node scrubbed, or null. */
    public ScrubReport lastPartition() {
        return lastPartition.get();
    }

    /** Scrub partitions this node has run since it started. */
    public long partitionsRun() {
        return partitionsRun.get();
    }

    /** Objects this node has checked in scrub partitions since it started. */
    public long objectsChecked() {
        return objectsChecked.get();
    }
}
