package dev.steadfast.archive.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The edge node's local cache limit (issue 17): studies older than {@code maxAge} (by their
 * latest arrival), then the oldest until the cache is under {@code maxBytes}, lose their local
 * copies, but only those {@link HeldUpstream} confirms the upstream archive holds, byte for byte:
 * an edge never drops the last copy. Eviction is not deletion: no tombstone is recorded, so the
 * study stays at the peer, reconcile does not delete it there, and a later read fetches it back
 * (fallback retrieve). Index rows go first, then the files: a crash in between leaves unindexed
 * files, which reindex would list again (a harmless cached copy), never rows without files.
 */
public final class CacheEviction {
    private static final Logger LOG = LoggerFactory.getLogger(CacheEviction.class);

    /** Whether the upstream archive holds every instance of a study as this archive stores it. */
    @FunctionalInterface
    public interface HeldUpstream {
        boolean holds(String studyUid, List<StoredInstance> local);
    }

    /** What one pass did. */
    public record Result(int evicted, long bytesFreed, int keptNotUpstream, long bytesLeft) {
    }

    private final Index index;
    private final Storage storage;
    private final Inventory inventory;
    private final HeldUpstream upstream;
    private final Duration maxAge;
    private final long maxBytes;
    private final Clock clock;

    /**
     * @param maxAge   studies whose latest instance arrived longer ago are evicted; zero: no age limit
     * @param maxBytes the cache's size limit; 0: none
     */
    public CacheEviction(Index index, Storage storage, HeldUpstream upstream, Duration maxAge, long maxBytes, Clock clock) {
        this.index = index;
        this.storage = storage;
        this.inventory = new Inventory(index);
        this.upstream = upstream;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    public synchronized Result run() {
        List<Inventory.StudyAge> studies = inventory.oldestFirst();
        long total = studies.stream().mapToLong(Inventory.StudyAge::bytes).sum();
        long cutoff = maxAge.isZero() ? Long.MIN_VALUE : clock.millis() - maxAge.toMillis();
        int evicted = 0;
        int kept = 0;
        long freed = 0;
        for (Inventory.StudyAge s : studies) {
            boolean tooOld = s.lastReceived() < cutoff;
            boolean tooBig = maxBytes > 0 && total > maxBytes;
            if (!tooOld && !tooBig) {
                break; // oldest first: the rest are younger, and the cache fits
            }
            List<StoredInstance> local = index.read(tx -> tx.instances().ofStudy(s.studyUid()));
            if (local.isEmpty() || !upstream.holds(s.studyUid(), local)) {
                kept++;
                continue;
            }
            evict(s.studyUid(), local);
            evicted++;
            freed += s.bytes();
            total -= s.bytes();
        }
        if (evicted > 0 || kept > 0) {
            LOG.info("cache: evicted {} studies ({} bytes) held upstream; kept {} not (yet) held upstream; {} bytes cached",
                    evicted, freed, kept, total);
        }
        return new Result(evicted, freed, kept, total);
    }

    private void evict(String studyUid, List<StoredInstance> local) {
        index.write(tx -> tx.deletions().removeStudy(studyUid));
        for (StoredInstance i : local) {
            try {
                storage.delete(new StorageKey(i.record().storageKey()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("cache: could not remove the evicted copy {} now: {}", i.record().storageKey(), e.toString());
            }
        }
    }
}
