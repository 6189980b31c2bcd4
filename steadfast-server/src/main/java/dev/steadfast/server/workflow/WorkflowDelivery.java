package dev.steadfast.server.workflow;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.archive.workflow.Availability;
import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.dicom.Dataset;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the workflow outbox on one virtual thread: each destination's head entry, in order, with
 * a lease in the index (any node may drain, a dead node's claim lapses). A failure keeps the entry
 * at the head and tries it again after a back-off (1 s doubling to 60 s). A peer that cannot be
 * reached is retried without limit; one that refuses an entry ({@link Refused}) does so at most
 * {@code maxAttempts} times, then the entry becomes a dead letter with the reason and the next one
 * goes (a refusal repeated forever would otherwise hold the queue). Also re-checks the completed
 * MPPS still waiting for instances ({@link Availability#sweep}).
 *
 * <p>Each destination has its own virtual thread (and lock): a peer that takes the whole DIMSE
 * response timeout to answer holds back only its own queue. Before (attack7a), one thread served
 * every destination, so one silent MPPS relay target stopped the other relays, the availability
 * notices and the procedure events for minutes at a time.
 */
final class WorkflowDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowDelivery.class);
    private static final long LEASE_MS = 60_000;
    private static final long POLL_MS = 1_000;
    private static final long SWEEP_MS = 10_000;

    /** Delivers one entry, or throws (the entry stays and is tried again). */
    interface Deliverer {
        void deliver(WorkflowOutbox.Entry e, Dataset payload) throws Exception;
    }

    /** The peer answered and refused the entry (a failure status, or not the SOP class): counts toward the dead letter. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Index index;
    private final Map<String, Deliverer> deliverers;
    private final Availability availability;
    private final String node;
    private final Clock clock;
    private final int maxAttempts;
    /** Failed attempts in a row per destination (this node's back-off); refusals are also counted in the entry. */
    private final Map<String, Integer> failuresInARow = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> unknownLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** One delivery of a destination at a time on this node (its thread and {@link #runOnce} share the lease name). */
    private final Map<String, java.util.concurrent.locks.ReentrantLock> locks = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile long nextSweep;

    WorkflowDelivery(Index index, Map<String, Deliverer> deliverers, Availability availability, String node, Clock clock,
                     int maxAttempts) {
        this.maxAttempts = maxAttempts;
        this.index = index;
        this.deliverers = Map.copyOf(deliverers);
        this.availability = availability;
        this.node = node;
        this.clock = clock;
    }

    WorkflowDelivery start() {
        // The sweep and the warning about destinations no longer configured: one pass over all, every poll.
        threads.add(Thread.ofVirtual().name("workflow-delivery").start(() -> loop(() -> sweep().size())));
        for (String d : deliverers.keySet()) {
            threads.add(Thread.ofVirtual().name("workflow-delivery-" + d).start(() -> loop(() -> deliver(d))));
        }
        return this;
    }

    private void loop(java.util.function.IntSupplier pass) {
        while (!closed) {
            try {
                pass.getAsInt();
            } catch (IndexException e) {
                LOG.debug("workflow delivery waits for the index: {}", e.getMessage());
            } catch (RuntimeException e) { // a bug must not end the deliveries for good
                LOG.error("workflow delivery: {}", e.toString(), e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
        }
    }

    Index index() {
        return index;
    }

    /** Something was queued: deliver now rather than at the next poll. */
    void wake() {
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    /** One pass: every destination's due entries, in order, until one fails; returns how many were delivered. */
    int runOnce() {
        int delivered = 0;
        for (String d : sweep()) {
            delivered += deliver(d);
        }
        return delivered;
    }

    /** Re-checks the waiting MPPS when due; returns the configured destinations with entries (warns about the others). */
    private List<String> sweep() {
        long now = clock.millis();
        if (now >= nextSweep) {
            nextSweep = now + SWEEP_MS;
            availability.sweep(index);
        }
        List<String> destinations = index.read(tx -> new WorkflowOutbox(tx).destinations());
        for (String d : destinations) {
            if (!deliverers.containsKey(d) && unknownLogged.add(d)) { // kept: configured again, it gets them
                LOG.warn("workflow outbox: entries for {}, which is no longer configured, wait", d);
            }
        }
        return destinations.stream().filter(deliverers::containsKey).toList();
    }

    /** The due entries of one destination, in order, until one fails; returns how many were delivered. */
    private int deliver(String d) {
        Deliverer deliverer = deliverers.get(d);
        var lock = locks.computeIfAbsent(d, k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            int delivered = 0;
            while (!closed) {
                long t = clock.millis();
                WorkflowOutbox.Entry e = index.write(tx -> new WorkflowOutbox(tx).claimHead(d, node, t, t + LEASE_MS));
                if (e == null) {
                    break;
                }
                try {
                    deliverer.deliver(e, Metadata.decode(e.payload()));
                } catch (Exception ex) {
                    int failures = failuresInARow.merge(d, 1, Integer::sum); // refused or unreachable: both back off
                    long backoff = Math.min(60_000L, 1_000L << Math.min(failures - 1, 6));
                    String why = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                    if (ex instanceof Refused && e.attempts() + 1 >= maxAttempts) {
                        index.write(tx -> {
                            new WorkflowOutbox(tx).dead(e, node, why, clock.millis());
                            return null;
                        });
                        LOG.warn("workflow: {} {} to {} refused {} times, now a dead letter (/api/workflow): {}", e.kind(), e.sopUid(), d,
                                e.attempts() + 1, why);
                        continue; // the next entry is the head now
                    }
                    index.write(tx -> {
                        new WorkflowOutbox(tx).failed(e, node, why, ex instanceof Refused, clock.millis() + backoff);
                        return null;
                    });
                    if (Integer.bitCount(failures) == 1) { // 1st, 2nd, 4th, 8th...: not a line per retry
                        LOG.warn("workflow: {} {} to {} failed ({} in a row), retried in {} s: {}", e.kind(), e.sopUid(), d,
                                failures, backoff / 1000, why);
                    }
                    break; // order: nothing overtakes the head
                }
                index.write(tx -> {
                    new WorkflowOutbox(tx).delivered(e, node);
                    return null;
                });
                failuresInARow.remove(d);
                delivered++;
            }
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    /** The destinations this node delivers to. */
    java.util.Set<String> destinations() {
        return deliverers.keySet();
    }

    /** Entries waiting for a destination (tests, operators). */
    List<WorkflowOutbox.Entry> waiting(String destination) {
        return index.read(tx -> new WorkflowOutbox(tx).waiting(destination));
    }

    @Override
    public void close() {
        closed = true;
        wake();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
