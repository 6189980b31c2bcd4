package dev.steadfast.web.imaging;

import dev.steadfast.web.http.HttpError;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded executor CPU-heavy pixel work runs on (STYLE 22). Requests run on virtual threads,
 * which the JVM does not preempt: a decode or render there keeps its carrier thread until done,
 * and a few at once would leave none for the listener or /health. Here the work runs on a few
 * platform threads the OS schedules fairly, while the request's virtual thread waits unmounted.
 * I/O (reading the stored object, writing the response) stays on the request's thread.
 */
final class ComputePool implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    ComputePool(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "steadfast-imaging-" + n.incrementAndGet());
            t.setDaemon(true); // an unclosed pool never keeps the JVM up
            return t;
        };
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), factory,
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true); // idle nodes keep no imaging threads
    }

    /** The pool's threads, to check that work went there. */
    static boolean isPoolThread() {
        return Thread.currentThread().getName().startsWith("steadfast-imaging-");
    }

    /** Runs {@code task} on the pool and waits for it; 503 when the pool and its queue are full. */
    <T> T call(Callable<T> task) throws IOException {
        Future<T> f;
        try {
            f = executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new HttpError(503, "the server is busy rendering and transcoding; try again shortly");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for imaging work");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            switch (c) {
                case IOException io -> throw io;
                case UncheckedIOException u -> throw u.getCause();
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException(c);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
