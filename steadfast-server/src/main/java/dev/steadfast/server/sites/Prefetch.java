package dev.steadfast.server.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.sites.Inventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prior-study prefetch (issue 17): when a study arrives that this node has not seen, the patient's
 * {@code prefetch.priors} most recent other studies at the peer (optionally of some modalities
 * only) are fetched in the background, so a radiologist reading here during an outage has
 * comparisons. Queued in memory and retried with backoff while the peer cannot be asked (8 tries,
 * up to 5 minutes apart); a restart forgets the queue (a durable one waits for the cluster's job
 * queue). Runs on one virtual thread; ingest only enqueues.
 */
final class Prefetch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Prefetch.class);
    private static final int TRIES = 8;
    private static final int REMEMBERED_STUDIES = 10_000;

    private final PeerClient peer;
    private final SiteCopier copier;
    private final Inventory here;
    private final Index index;
    private final int priors;
    private final Set<String> modalities;
    private final Duration firstRetry;
    private final DelayQueue<Task> queue = new DelayQueue<>();
    /** Studies already seen (arrived or fetched): each triggers one look-up, not one per instance. */
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_STUDIES;
        }
    });
    private final Thread worker;
    final AtomicLong studiesFetched = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    private record Task(String patientId, String studyUid, int attempt, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    Prefetch(PeerClient peer, SiteCopier copier, Index index, int priors, Set<String> modalities, Duration firstRetry) {
        this.peer = peer;
        this.copier = copier;
        this.here = new Inventory(index);
        this.index = index;
        this.priors = priors;
        this.modalities = modalities;
        this.firstRetry = firstRetry;
        this.worker = Thread.ofVirtual().name("steadfast-prefetch").start(this::work);
    }

    /** From ingest: a new instance. Enqueues its study's priors once per study; returns at once. */
    void stored(StoreResult r) {
        if (r.patientId() == null || r.patientId().isBlank() || r.studyUid() == null) {
            return;
        }
        synchronized (seen) {
            if (!seen.add(r.studyUid())) {
                return;
            }
        }
        queue.add(new Task(r.patientId(), r.studyUid(), 0, System.nanoTime()));
    }

    int waiting() {
        return queue.size();
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            Task t;
            try {
                t = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                fetchPriors(t);
            } catch (IOException | RuntimeException e) {
                if (t.attempt() + 1 >= TRIES) {
                    failures.incrementAndGet();
                    LOG.warn("prefetch of priors for study {} given up after {} tries: {}", t.studyUid(), TRIES, e.getMessage());
                } else {
                    retries.incrementAndGet();
                    LOG.info("prefetch of priors for study {} failed (try {} of {}), retried later: {}", t.studyUid(), t.attempt() + 1,
                            TRIES, e.getMessage());
                    long delay = Math.min(firstRetry.toNanos() << t.attempt(), TimeUnit.MINUTES.toNanos(5));
                    queue.add(new Task(t.patientId(), t.studyUid(), t.attempt() + 1, System.nanoTime() + delay));
                }
            }
        }
    }

    private void fetchPriors(Task t) throws IOException {
        List<PeerClient.PeerStudy> candidates = peer.studiesOf(t.patientId()).stream()
                .filter(s -> !s.studyUid().equals(t.studyUid()))
                .filter(s -> modalities.isEmpty() || s.modalities().stream().anyMatch(modalities::contains))
                .sorted(Comparator.comparing((PeerClient.PeerStudy s) -> s.date() + s.time()).reversed())
                .limit(priors)
                .toList();
        for (PeerClient.PeerStudy prior : candidates) {
            synchronized (seen) {
                seen.add(prior.studyUid()); // its own arrival here must not start another look-up
            }
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
