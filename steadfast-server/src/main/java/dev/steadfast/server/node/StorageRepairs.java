package dev.steadfast.server.node;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.ScrubScheduler;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.server.config.StorageConfig;
import java.time.Duration;

/** A node's background repair and scrub of its storage targets (issue 15). Part of {@link ArchiveNode}'s wiring. */
final class StorageRepairs {
    private StorageRepairs() {
    }

    /** Starts repair and this node's share of the cluster-wide scrub; null with a single target, which has no other copy to repair from. */
    static ScrubScheduler start(StorageConfig sc, ReplicatedStorage targets, Index index, NodeCluster nodeCluster) {
        if (targets.targets().size() <= 1) {
            return null;
        }
        Scrubber scrubber = new Scrubber(targets, new IndexChecksums(index),
                new Pace(sc.scrubObjectsPerSecond(), sc.scrubBytesPerSecond()));
        // Each node repairs what it found missing; the list is also in the index, where another
        // node's take-over job finds it when this node is gone (issue 15).
        ScrubScheduler scrub = new ScrubScheduler(scrubber).start(sc.repairInterval(), Duration.ZERO);
        if (!sc.repairInterval().isZero()) {
            nodeCluster.durableRepairs(targets, scrub::repairSoon, sc.repairInterval());
        }
        // Scrub is cluster-wide: one cycle, partitioned across the live nodes.
        nodeCluster.scrubWith(scrubber, sc.scrubInterval());
        return scrub;
    }
}
