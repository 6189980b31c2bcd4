package dev.steadfast.archive.forward;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a claimed batch's lease alive while it is being sent: a virtual thread renews the entries
 * not yet done every third of the lease, also while one send is in progress (a slow destination
 * may take the whole DIMSE or HTTP timeout, 5 minutes, for one entry: as long as the default
 * lease). Without it, another node took the lapsed entries over while this one was still sending
 * them: each sent twice and, on an ordered queue, out of order (attack7a).
 *
 * <p>{@link #held()} says whether the next entry may still be sent: false once a renewal found an
 * entry taken by another node, or when no renewal succeeded (index unreachable) and the lease may
 * have lapsed. Outcomes are recorded through {@link #record} so that a renewal never counts an
 * entry just completed as lost.
 */
final class BatchLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchLease.class);

    private final Index index;
    private final List<ForwardEntry> batch;
    private final String node;
    private final Duration lease;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread renewer;
    private int next; // the first entry not yet done; guarded by lock
    private volatile long heldUntil;
    private volatile boolean lost;
    private volatile boolean closed;

    BatchLease(Index index, List<ForwardEntry> batch, String node, Duration lease, long leaseUntil, Clock clock) {
        this.index = index;
        this.batch = List.copyOf(batch);
        this.node = node;
        this.lease = lease;
        this.clock = clock;
        this.heldUntil = leaseUntil;
        this.renewer = Thread.ofVirtual().name("steadfast-forward-lease").start(this::renewLoop);
    }

    /** Whether this node still holds the rest of the batch (checked before each send). */
    boolean held() {
        return !lost && clock.millis() < heldUntil;
    }

    /** Records the outcome of entry {@code i} (in the index) and moves past it, so no renewal races with it. */
    <T> T record(int i, Supplier<T> outcome) {
        lock.lock();
        try {
            T t = outcome.get();
            next = Math.max(next, i + 1);
            return t;
        } finally {
            lock.unlock();
        }
    }

    /** The entries not yet done are given back or dealt with by the caller: no longer renewed. */
    void stop() {
        lock.lock();
        try {
            next = Math.max(next, batch.size());
        } finally {
            lock.unlock();
        }
    }

    private void renewLoop() {
        long period = Math.max(100, lease.toMillis() / 3);
        while (!closed) {
            LockSupport.parkNanos(period * 1_000_000L);
            if (closed) {
                return;
            }
            renew();
        }
    }

    private void renew() {
        lock.lock();
        try {
            List<ForwardEntry> rest = batch.subList(next, batch.size());
            if (rest.isEmpty() || closed) {
                return;
            }
            long until = clock.millis() + lease.toMillis();
            int n = index.write(tx -> new ForwardQueue(tx).renew(rest, node, until));
            if (n < rest.size()) {
                lost = true; // another node took an entry over (our lease had lapsed): stop sending this batch
                log.warn("forwarding: {} of {} claimed entries taken over by another node; this node stops its batch",
                        rest.size() - n, rest.size());
            } else {
                heldUntil = until;
            }
        } catch (IndexException e) {
            log.debug("forwarding: cannot renew a batch's lease: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(renewer);
        try {
            renewer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
