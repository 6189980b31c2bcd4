package dev.steadfast.archive.query;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool on which queries read and match, one page at a time. Why: matching is CPU work,
 * and a virtual thread doing CPU work holds its carrier thread until it is done; two heavy queries
 * on a 2-core machine held every carrier, and the listener, C-ECHO and {@code /health} stopped
 * answering (issue 14). Here they run on a few platform threads the operating system time-slices
 * with everything else, while the virtual thread of the association or HTTP request just waits.
 * A full queue refuses at once (busy) rather than piling work up. A side effect worth having:
 * queries never hold more index connections than the pool has threads.
 */
final class QueryPool {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Pages that may wait for a thread: above dicom.max-associations' default (64) plus HTTP requests. */
    private static final int QUEUE = 256;

    private final ThreadPoolExecutor executor;

    QueryPool(int threads) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(QUEUE, threads * 32)),
                r -> {
                    Thread t = new Thread(r, "steadfast-query-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true); // idle threads end after 30 s; nothing to close
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code work} on the pool and waits for it until {@code deadlineNanos} (a
     * {@link System#nanoTime()} value; {@link Long#MAX_VALUE} for none).
     */
    <T> T run(Callable<T> work, long deadlineNanos) {
        Future<T> f;
        try {
            f = executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new QueryLimitException(QueryLimitException.Kind.BUSY, "too many queries at once; try again later");
        }
        try {
            if (deadlineNanos == Long.MAX_VALUE) {
                return f.get();
            }
            // A little past the deadline: the work checks it itself and stops cleanly; this is the backstop.
            long wait = Math.max(0, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1);
            return f.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw QueryEngine.timedOut();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new QueryLimitException(QueryLimitException.Kind.BUSY, "query interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Pages waiting for a thread (for tests and metrics). */
    int waiting() {
        return executor.getQueue().size();
    }
}
