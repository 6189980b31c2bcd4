package dev.steadfast.server.hl7;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * MLLP framing (HL7 v2.5.1 Appendix C): a message is {@code <VT> text <FS><CR>}. Reads one frame
 * with the limits docs/HL7.md promises: no frame may grow past {@code maxBytes}, none may take
 * longer than the message timeout once started, and a connection waits at most the idle timeout
 * for a frame to start. Text is in the character set MSH-18 names ({@link Hl7Charset}).
 */
final class MllpFrames {
    static final int VT = 0x0B;
    static final int FS = 0x1C;
    static final int CR = 0x0D;

    private final Socket socket;
    private final InputStream in;
    private final long maxBytes;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos;
    private int end;
    private boolean idle;

    /** A frame could not be read within the limits; {@code head} is what arrived of it (for an AR). */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;
        final transient String head;

        LimitExceeded(String message, String head) {
            super(message);
            this.head = head;
        }
    }

    MllpFrames(Socket socket, long maxBytes) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.maxBytes = maxBytes;
    }

    /**
     * The next message, or null when the peer closed the connection (or stayed idle past
     * {@code idleMillis}) before one started.
     *
     * @throws LimitExceeded the message grew past the limit, or did not end within {@code messageMillis}
     * @throws Hl7Charset.Undecodable the message is whole but not text in the character set its MSH-18 names
     */
    String read(long idleMillis, long messageMillis) throws IOException {
        int b;
        do { // bytes before the start block are not a message (HL7 C.4.3): skipped
            b = next(idleMillis, -1, null);
            if (b < 0) {
                return null;
            }
        } while (b != VT);
        long deadline = System.nanoTime() + messageMillis * 1_000_000L;
        ByteArrayOutputStream text = new ByteArrayOutputStream(1024);
        while (true) {
            b = next(0, deadline, text);
            if (b < 0) {
                throw new IOException("connection closed in the middle of a message");
            }
            if (b == FS) {
                int cr = next(0, deadline, text);
                if (cr == CR || cr < 0) {
                    return Hl7Charset.decode(text.toByteArray()); // the set MSH-18 names; Undecodable when not in it
                }
                text.write(b);
                b = cr;
            }
            if (text.size() >= maxBytes) {
                throw new LimitExceeded("message longer than " + maxBytes + " bytes (hl7.max-message-bytes)", head(text));
            }
            text.write(b);
        }
    }

    /** The next byte; -1 at the end of the stream or when idle past {@code idleMillis} before a frame. */
    private int next(long idleMillis, long deadline, ByteArrayOutputStream partial) throws IOException {
        if (pos < end) {
            return buffer[pos++] & 0xFF;
        }
        int timeout;
        if (deadline < 0) {
            timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, idleMillis));
        } else {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw timedOut(partial);
            }
            timeout = (int) Math.min(Integer.MAX_VALUE, left);
        }
        socket.setSoTimeout(timeout);
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } catch (SocketTimeoutException e) {
            if (deadline < 0) {
                idle = true;
                return -1; // idle: the caller ends the connection
            }
            throw timedOut(partial);
        }
        if (n <= 0) {
            return -1;
        }
        pos = 0;
        end = n;
        return buffer[pos++] & 0xFF;
    }

    private static LimitExceeded timedOut(ByteArrayOutputStream partial) {
        return new LimitExceeded("message not complete within the time allowed (hl7.message-timeout-seconds)",
                partial == null ? "" : head(partial));
    }

    private static String head(ByteArrayOutputStream partial) {
        byte[] b = partial.toByteArray(); // the caller's limit keeps this bounded
        int n = 0;
        while (n < b.length && n < 4096 && b[n] != CR) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** Whether the last {@link #read} returned null because nothing started within the idle time (not a close). */
    boolean idle() {
        return idle;
    }

    /** Writes one framed message and flushes. */
    static void write(OutputStream out, String text) throws IOException {
        byte[] body = Hl7Charset.encode(text);
        byte[] frame = new byte[body.length + 3];
        frame[0] = VT;
        System.arraycopy(body, 0, frame, 1, body.length);
        frame[frame.length - 2] = FS;
        frame[frame.length - 1] = CR;
        out.write(frame);
        out.flush();
    }
}
