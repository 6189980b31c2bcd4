package dev.steadfast.archive.scrub;

import dev.steadfast.archive.cluster.ClusterJobs;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StorageRepairRepository;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.RepairLog;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending repairs that outlive their node (issue 15). Every copy a target missed or holds damaged
 * is recorded in the index's {@code storage_repair} table before the store is acknowledged (while
 * the index answers; else when it answers again) and removed once repaired. A recurring cluster job
 * ({@value #TAKE_OVER}, one node at a time) hands the rows of nodes that are gone, and this node's
 * own rows from before a restart, to this node's repair; the node that wrote a row and is still up
 * repairs it itself.
 */
public final class DurableRepairs implements RepairLog {
    private static final Logger LOG = LoggerFactory.getLogger(DurableRepairs.class);
    public static final String TAKE_OVER = "storage-repair-take-over";
    /** Rows taken over per run: a long outage's backlog is worked off over several runs. */
    private static final int BATCH = 10_000;

    private record Pending(String target, StorageKey key) {
    }

    private final Index index;
    private final ReplicatedStorage storage;
    private final String nodeId;
    private final Supplier<List<String>> liveNodes;
    private final Runnable repairSoon;
    private final Clock clock;
    /** Noted while the index did not answer: written by the next note or take-over run. Value: damaged. */
    private final Map<Pending, Boolean> unwritten = new ConcurrentHashMap<>();

    /**
     * @param liveNodes  the ids of the nodes up now
     * @param repairSoon starts this node's repair of its pending list (the background repair loop)
     */
    public DurableRepairs(Index index, ReplicatedStorage storage, String nodeId, Supplier<List<String>> liveNodes,
                          Runnable repairSoon, Clock clock) {
        this.index = index;
        this.storage = storage;
        this.nodeId = nodeId;
        this.liveNodes = liveNodes;
        this.repairSoon = repairSoon;
        this.clock = clock;
    }

    /** Records into the index from now on, and registers the take-over job, run every {@code every}. */
    public DurableRepairs register(ClusterJobs jobs, Duration every) {
        storage.repairLog(this);
        jobs.recurring(TAKE_OVER, every, this::takeOver);
        return this;
    }

    @Override
    public void noted(String target, StorageKey key, boolean damaged) {
        unwritten.merge(new Pending(target, key), damaged, Boolean::logicalOr);
        if (index.health().up()) { // the index down: ingest goes on at once, the rows follow later
            writeUnwritten();
        }
    }

    @Override
    public void repaired(String target, StorageKey key) {
        unwritten.remove(new Pending(target, key));
        try {
            index.write(tx -> {
                tx.storageRepairs().remove(target, key.path());
                return null;
            });
        } catch (RuntimeException e) {
            // the row stays: a take-over finds the copy good and removes it then
            LOG.debug("could not remove the repaired {} on {} from the index: {}", key, target, e.toString());
        }
    }

    /** Rows noted while the index was down, written now; those that fail stay for the next try. */
    private void writeUnwritten() {
        for (Map.Entry<Pending, Boolean> e : List.copyOf(unwritten.entrySet())) {
            Pending p = e.getKey();
            try {
                index.write(tx -> {
                    tx.storageRepairs().note(new StorageRepairRepository.Row(p.target(), p.key().path(), e.getValue(), nodeId,
                            clock.millis()));
                    return null;
                });
                unwritten.remove(p, e.getValue());
            } catch (RuntimeException ex) {
                LOG.debug("pending repair of {} on {} not yet in the index: {}", p.key(), p.target(), ex.toString());
                return;
            }
        }
    }

    /**
     * The job: writes what is still unwritten, then takes over the rows of gone nodes (and this
     * node's own) and starts this node's repair when it took any.
     */
    void takeOver() {
        writeUnwritten();
        Set<String> live = Set.copyOf(liveNodes.get());
        List<StorageRepairRepository.Row> rows = index.read(tx -> tx.storageRepairs().oldest(BATCH));
        int adopted = 0;
        for (StorageRepairRepository.Row r : rows) {
            boolean mine = r.nodeId().equals(nodeId);
            if ((mine || !live.contains(r.nodeId())) && storage.adopt(r.target(), new StorageKey(r.storageKey()), r.damaged())) {
                adopted++;
                if (!mine && adopted == 1) {
                    LOG.info("taking over pending repairs of node {}, which is gone", r.nodeId());
                }
            }
        }
        if (adopted > 0) {
            repairSoon.run();
        }
    }

    /** Pending repairs this node noted while the index did not answer, not yet recorded there. */
    public int unwritten() {
        return unwritten.size();
    }
}
