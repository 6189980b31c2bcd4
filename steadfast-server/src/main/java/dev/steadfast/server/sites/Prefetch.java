package dev.steadfast.server.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.archive.sites.PrefetchQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prior-study prefetch (issue 17): when a study arrives that this node has not seen, the patient's
 * {@code prefetch.priors} most recent other studies at the peer (optionally of some modalities
 * only) are fetched in the background, so a radiologist reading here during an outage has
 * comparisons. The look-ups wait in the index ({@link PrefetchQueue}, queued by the transaction
 * that indexes the study's first instance), so a restart or kill -9 loses none; a failed try is
 * retried with backoff while the peer cannot be asked (8 tries, 5 s doubling, at most 5 minutes
 * apart). Runs on one virtual thread, which ingest only wakes.
 */
final class Prefetch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Prefetch.class);
    private static final int TRIES = 8;
    /** How often the queue is looked at when nothing wakes the worker (retries, other nodes' rows). */
    private static final long IDLE_MS = 1_000;

    private final PeerClient peer;
    private final SiteCopier copier;
    private final Inventory here;
    private final Index index;
    private final int priors;
    private final Set<String> modalities;
    private final Duration firstRetry;
    private final Duration lease;
    private final Object wakeUp = new Object();
    private final Thread worker;
    final AtomicLong studiesFetched = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    /**
     * @param lease how long a claimed look-up is this node's: a node killed mid-fetch leaves it to be
     *              tried again after that long
     */
    Prefetch(PeerClient peer, SiteCopier copier, Index index, int priors, Set<String> modalities, Duration firstRetry, Duration lease) {
        this.peer = peer;
        this.copier = copier;
        this.here = new Inventory(index);
        this.index = index;
        this.priors = priors;
        this.modalities = modalities;
        this.firstRetry = firstRetry;
        this.lease = lease;
        this.worker = Thread.ofVirtual().name("steadfast-prefetch").start(this::work);
    }

    /** From ingest: something was stored (perhaps a new study's first instance); returns at once. */
    void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Look-ups waiting in the index (queued, being tried, or to be retried); -1 while the index cannot say. */
    long waiting() {
        try {
            return index.read(tx -> new PrefetchQueue(tx).waiting());
        } catch (IndexException e) {
            return -1;
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            Optional<PrefetchQueue.Task> next;
            try {
                long now = System.currentTimeMillis();
                next = index.write(tx -> new PrefetchQueue(tx).claim(now, now + lease.toMillis()));
            } catch (IndexException e) {
                next = Optional.empty(); // the index is down: the queue waits in it
            }
            if (next.isEmpty()) {
                try {
                    synchronized (wakeUp) {
                        wakeUp.wait(IDLE_MS);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            run(next.get());
        }
    }

    private void run(PrefetchQueue.Task t) {
        try {
            fetchPriors(t);
            index.write(tx -> {
                new PrefetchQueue(tx).done(t.studyUid());
                return null;
            });
        } catch (IOException | RuntimeException e) {
            int attempts = t.attempts() + 1;
            boolean giveUp = attempts >= TRIES;
            long nextAt = giveUp ? -1 : System.currentTimeMillis()
                    + Math.min(firstRetry.toMillis() << t.attempts(), TimeUnit.MINUTES.toMillis(5));
            try {
                index.write(tx -> {
                    new PrefetchQueue(tx).failed(t.studyUid(), attempts, nextAt, e.getMessage());
                    return null;
                });
            } catch (IndexException x) {
                return; // the claim's lease ends and the look-up is tried again
            }
            if (giveUp) {
                failures.incrementAndGet();
                LOG.warn("prefetch of priors for study {} given up after {} tries: {}", t.studyUid(), TRIES, e.getMessage());
            } else {
                retries.incrementAndGet();
                LOG.info("prefetch of priors for study {} failed (try {} of {}), retried later: {}", t.studyUid(), attempts, TRIES,
                        e.getMessage());
            }
        }
    }

    private void fetchPriors(PrefetchQueue.Task t) throws IOException {
        List<PeerClient.PeerStudy> candidates = peer.studiesOf(t.patientId()).stream()
                .filter(s -> !s.studyUid().equals(t.studyUid()))
                .filter(s -> modalities.isEmpty() || s.modalities().stream().anyMatch(modalities::contains))
                .sorted(Comparator.comparing((PeerClient.PeerStudy s) -> s.date() + s.time()).reversed())
                .limit(priors)
                .toList();
        for (PeerClient.PeerStudy prior : candidates) {
            long now = System.currentTimeMillis();
            index.write(tx -> { // its own arrival here must not start another look-up
                new PrefetchQueue(tx).seen(prior.studyUid(), t.patientId(), now);
                return null;
            });
            if (here.deletedAt(prior.studyUid()) >= 0) {
                continue; // deleted here: never brought back
            }
            int fetched = 0;
            for (var series : peer.series(prior.studyUid())) {
                for (Inventory.Entry e : peer.instances(prior.studyUid(), series.seriesUid())) {
                    if (index.read(tx -> tx.instances().find(e.sopUid())).isEmpty()) {
                        copier.fetch(prior.studyUid(), series.seriesUid(), e);
                        fetched++;
                    }
                }
            }
            if (fetched > 0) {
                studiesFetched.incrementAndGet();
                LOG.info("prefetch: prior study {} ({} instances) fetched from the peer", prior.studyUid(), fetched);
            }
        }
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
