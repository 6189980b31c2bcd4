package dev.steadfast.web.http;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The one way a refusal is answered (AuthHandler's 401/403/503, RouteHandler's 4xx/5xx), whatever
 * was read of the request's body. The answer goes out first: a client learns why it was refused
 * without waiting for us to read a body we drop anyway (a slow or stalled client at once, not after
 * the drain's bound). Only when the body has already arrived whole, read without waiting, is the
 * connection kept; otherwise the answer says {@code Connection: close}, and what the client still
 * sends is read and dropped, within bounds, before the connection closes: closing a socket with
 * bytes unread makes the kernel reset it, and the reset discards the answer from the client's
 * receive buffer before the client reads it, so an uploading client would see a broken pipe instead
 * of why it was refused. One per server: its bound on drains at once is the server's.
 */
public final class RefusedUpload {
    /** At most this much of a refused body is read, so a refused client cannot hold a connection for long. */
    static final long DRAIN_BYTES = 64L << 20;
    /** At most this long, also for a client that stops sending altogether. */
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Refused uploads drained at once; past it, one is closed with its bytes unread (its client may see a reset). */
    public static final int MAX_DRAINING = 32;
    /** What has arrived of a body is read without waiting up to this much, to tell whether it is whole. */
    private static final long READY_BYTES = 1L << 20;

    private final Semaphore draining;

    public RefusedUpload() {
        this(MAX_DRAINING);
    }

    public RefusedUpload(int maxDraining) {
        this.draining = new Semaphore(maxDraining);
    }

    /** Writes the whole answer (status, headers, body) and returns once it is out. */
    @FunctionalInterface
    public interface Answer {
        void write() throws IOException;
    }

    /**
     * Answers a refused request: {@code Connection: close} unless its body has already been read to
     * its end (by the service, or now without waiting), then {@code answer}, then the rest of the
     * body read and dropped within {@link #DRAIN_BYTES}, {@link #DRAIN_NANOS} and {@link #MAX_DRAINING}.
     */
    public void answer(Request request, Response response, Answer answer) throws IOException {
        boolean whole = arrivedWhole(request);
        if (!whole) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        answer.write();
        if (!whole) {
            drain(request);
        }
    }

    /** Whether the body ends within what can be read now without waiting (a request without a body: yes). */
    private static boolean arrivedWhole(Content.Source body) {
        long left = READY_BYTES;
        while (left >= 0) {
            Content.Chunk c = body.read();
            if (c == null || Content.Chunk.isFailure(c)) {
                return false;
            }
            left -= c.remaining();
            boolean last = c.isLast();
            c.release();
            if (last) {
                return true;
            }
        }
        return false;
    }

    /** Reads and drops the rest of the body within the bounds; true when it was read to its end. */
    boolean drain(Content.Source body) {
        if (!draining.tryAcquire()) {
            return false;
        }
        try {
            long deadline = System.nanoTime() + DRAIN_NANOS;
            long left = DRAIN_BYTES;
            while (true) {
                Content.Chunk c = body.read();
                if (c == null) {
                    // Waits for more with the deadline, not Jetty's idle timeout: a stalled client is let go in time too.
                    CountDownLatch more = new CountDownLatch(1);
                    body.demand(more::countDown);
                    long wait = deadline - System.nanoTime();
                    if (wait <= 0 || !more.await(wait, TimeUnit.NANOSECONDS)) {
                        return false;
                    }
                    continue;
                }
                if (Content.Chunk.isFailure(c)) {
                    return false; // the client went away, or sent a malformed body: nothing left to protect
                }
                left -= c.remaining();
                boolean last = c.isLast();
                c.release();
                if (last) {
                    return true;
                }
                if (left < 0 || System.nanoTime() - deadline >= 0) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            draining.release();
        }
    }
}
