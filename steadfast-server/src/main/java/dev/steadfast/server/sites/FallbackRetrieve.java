package dev.steadfast.server.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.retrieve.RemoteCopies;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.archive.sites.Inventory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fallback retrieve (issue 17): a read that names a study and finds nothing here asks the peer
 * site's inventory for what it names, copies those instances in through {@link SiteCopier}
 * (verified, through ingest), and the read is then answered from the local copies. A study
 * deleted here is never fetched back. A peer that cannot be asked is an
 * {@link RemoteCopies.UnavailableException} with the reason, which the front doors turn into a
 * clear error (WADO-RS 504, C-MOVE/C-GET C000). An instance a rejection note rejected here is not fetched.
 */
public final class FallbackRetrieve implements RemoteCopies {
    private final SiteCopier copier;
    private final Inventory here;
    private final Index index;
    private final dev.steadfast.archive.storage.Storage storage;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FallbackRetrieve.class);
    final AtomicLong restored = new AtomicLong();
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    public FallbackRetrieve(SiteCopier copier, Inventory here, Index index, dev.steadfast.archive.storage.Storage storage) {
        this.storage = storage;
        this.copier = copier;
        this.here = here;
        this.index = index;
    }

    @Override
    public boolean restore(dev.steadfast.archive.index.StoredInstance lost) {
        if (here.deletedAt(lost.studyUid()) >= 0 && lost.record().receivedAt() <= here.deletedAt(lost.studyUid())) {
            return false;
        }
        try {
            boolean ok = copier.restore(lost, storage);
            if (ok) {
                restored.incrementAndGet();
                LOG.warn("{} was missing from storage; restored from the peer site (same SHA-256)", lost.record().storageKey());
            }
            return ok;
        } catch (IOException e) {
            failures.incrementAndGet();
            LOG.warn("{} is missing from storage and the peer site could not restore it: {}", lost.record().storageKey(), e.getMessage());
            return false;
        }
    }

    /** One fetch per study at a time: a viewer's parallel requests for one study wait for the first, then read locally. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> studyLocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public int fetch(RetrieveRequest request) {
        var lock = studyLocks.computeIfAbsent(request.studyUid(), k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            return fetchLocked(request);
        } catch (dev.steadfast.archive.index.IndexException e) {
            return 0; // the index is down: its tombstones cannot be checked, so nothing is fetched (the read says not found)
        } finally {
            lock.unlock();
            if (!lock.hasQueuedThreads()) {
                studyLocks.remove(request.studyUid(), lock);
            }
        }
    }

    private int fetchLocked(RetrieveRequest request) {
        String study = request.studyUid();
        if (here.deletedAt(study) >= 0) {
            return 0; // deleted here: the tombstone wins over the peer's copy
        }
        PeerClient peer = copier.peer();
        // IOCM (issue 18): an instance rejected here is never fetched back (ingest would refuse it anyway)
        java.util.Set<String> rejected = here.rejected(study);
        int stored = 0;
        try {
            List<String> series = !request.seriesUids().isEmpty() ? request.seriesUids()
                    : peer.series(study).stream().map(Inventory.SeriesDigest::seriesUid).toList();
            for (String s : series) {
                for (Inventory.Entry e : peer.instances(study, s)) {
                    if (!request.sopInstanceUids().isEmpty() && !request.sopInstanceUids().contains(e.sopUid())) {
                        continue;
                    }
                    if (rejected.contains(e.sopUid()) || index.read(tx -> tx.instances().find(e.sopUid())).isPresent()) {
                        continue;
                    }
                    copier.fetch(study, s, e);
                    stored++;
                    fetched.incrementAndGet();
                }
            }
        } catch (IOException e) {
            failures.incrementAndGet();
            if (stored > 0) {
                return stored; // serve what arrived; the rest waits for the next read or reconcile
            }
            throw new UnavailableException(e.getMessage(), e);
        }
        return stored;
    }
}
