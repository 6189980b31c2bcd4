package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs WADO-RS's read-before-send check of a response's instances on the request's thread and,
 * beside it, on a few pooled platform threads with buffers of their own (issue 19). The check
 * reads every object (a page-cache copy and a CRC32C, or the SHA-256 of a first read) before the
 * status line may go out, while the client waits with nothing to do: one thread left the other
 * cores idle for that whole phase. The helpers only ever help: when the pool is busy the request's
 * thread does all the work itself, as before; the outcome of each instance is the same either way.
 */
final class ParallelCheck {
    /** The check of one instance; throws when it cannot be sent. */
    interface Check {
        void run(StoredInstance instance, ByteBuffer buffer) throws IOException;
    }

    /** Fewer instances than this per thread are not worth a hand-off. */
    private static final int MIN_PER_THREAD = 4;
    private final ThreadPoolExecutor pool;
    private final DirectBuffers buffers;
    private final int helpers;

    ParallelCheck(DirectBuffers buffers) {
        this(buffers, Math.max(0, Runtime.getRuntime().availableProcessors() - 1));
    }

    ParallelCheck(DirectBuffers buffers, int helpers) {
        this.buffers = buffers;
        this.helpers = helpers;
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, helpers);
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4 * threads), r -> {
            Thread t = new Thread(r, "steadfast-wado-check-" + n.incrementAndGet());
            t.setDaemon(true); // never keeps the JVM up
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true); // an idle node keeps no threads
    }

    /**
     * Checks every instance, {@code own} being the request thread's buffer; returns, by index, what
     * each check threw (null: it can be sent). Returns once every instance has been checked.
     */
    Throwable[] run(List<StoredInstance> instances, ByteBuffer own, Check check) {
        int n = instances.size();
        Throwable[] failed = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        Worker work = buffer -> {
            for (int i; (i = next.getAndIncrement()) < n; ) {
                try {
                    check.run(instances.get(i), buffer);
                } catch (Throwable t) {
                    failed[i] = t;
                } finally {
                    done.countDown();
                }
            }
        };
        int extra = Math.min(helpers, n / MIN_PER_THREAD - 1);
        for (int h = 0; h < extra; h++) {
            try {
                pool.execute(() -> {
                    if (next.get() >= n) {
                        return; // started too late: nothing left
                    }
                    ByteBuffer b = buffers.take();
                    try {
                        work.run(b);
                    } finally {
                        buffers.give(b);
                    }
                });
            } catch (RejectedExecutionException e) {
                break; // busy: this request's thread does the rest
            }
        }
        work.run(own);
        boolean interrupted = false;
        while (true) {
            try {
                done.await(); // the helpers' last instances; the latch orders their writes to failed[]
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : failed) {
            if (t instanceof Error e) {
                throw e;
            }
        }
        return failed;
    }

    private interface Worker {
        void run(ByteBuffer buffer);
    }
}
