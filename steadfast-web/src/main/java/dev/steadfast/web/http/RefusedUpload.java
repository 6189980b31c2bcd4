package dev.steadfast.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * What to do with the body of a request answered before it was read (a refusal). The answer goes
 * out first, with {@code Connection: close}, then what the client still sends is read and dropped,
 * within bounds, before the connection closes: closing a socket with bytes unread makes the kernel
 * reset it, and the reset discards the answer from the client's receive buffer before the client
 * reads it, so an uploading client would see a broken pipe instead of why it was refused.
 */
public final class RefusedUpload {
    /** At most this much of a refused body is read, so a refused client cannot hold a thread for long. */
    static final long DRAIN_BYTES = 64L << 20;
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private RefusedUpload() {
    }

    /** Whether the request announced a body (a length above zero, or chunked). */
    public static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Reads and drops the rest of the body, up to {@link #DRAIN_BYTES} and {@link #DRAIN_NANOS}. */
    public static void drain(Content.Source body) {
        drain(body, DRAIN_BYTES);
    }

    /**
     * Reads and drops the rest of the body, up to {@code limit} bytes and {@link #DRAIN_NANOS}.
     * @return whether the body was read to its end (a connection that may stay open)
     */
    public static boolean drain(Content.Source body, long limit) {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        long left = limit;
        byte[] sink = new byte[64 * 1024];
        // Not closed: closing the stream before its end fails the request's content, and a second drain after
        // the answer (RouteHandler) must still be able to read.
        InputStream in = Content.Source.asInputStream(body);
        try {
            while (System.nanoTime() < deadline) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left + 1)); // one past the limit tells "more"
                if (n < 0) {
                    return true;
                }
                left -= n;
                if (left < 0) {
                    return false;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // the client stopped sending or went away: nothing left to protect
        }
    }
}
