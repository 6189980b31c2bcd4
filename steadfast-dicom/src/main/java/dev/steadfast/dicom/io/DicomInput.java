package dev.steadfast.dicom.io;

import dev.steadfast.dicom.DicomParseException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered reader over a DICOM stream that knows its byte position and can peek a few
 * bytes ahead. It never allocates more than it has actually read, so a bogus length in a
 * short stream fails with end-of-stream instead of exhausting memory.
 */
final class DicomInput {
    /** Small, because a header is a few kB and larger values bypass the buffer. */
    private static final int CHUNK = 8 * 1024;
    private static final int GROWTH_START = 64 * 1024;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long base;
    private boolean eof;
    private final long limit;

    /**
     * @param startOffset position of the stream's first byte in its source
     * @param limit       position where the source ends when known (a file's size), else -1
     */
    DicomInput(InputStream in, long startOffset, long limit) {
        this.in = in;
        this.buf = new byte[CHUNK];
        this.base = startOffset;
        this.limit = limit;
    }

    /** Bytes left before the known end of the source, or Long.MAX_VALUE when unknown. */
    long remaining() {
        return limit < 0 ? Long.MAX_VALUE : limit - position();
    }

    /** Fails unless {@code len} more bytes can exist in the source. */
    void checkRemaining(long len, String what) throws DicomParseException {
        if (len > remaining()) {
            throw new DicomParseException(what + " declares " + len + " bytes but only " + remaining()
                    + " remain", position());
        }
    }

    /** Byte offset of the next unread byte. */
    long position() {
        return base + pos;
    }

    /** Makes at least {@code n} bytes available; false if the stream ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            base += pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }

    /** True when no byte remains. */
    boolean atEnd() throws IOException {
        return !ensure(1);
    }

    /** The number of bytes available to peek, up to {@code n}. */
    int peekable(int n) throws IOException {
        ensure(n);
        return Math.min(n, lim - pos);
    }

    /** Byte at {@code pos + i} without consuming it; caller checked {@link #peekable}. */
    int peek(int i) {
        return buf[pos + i] & 0xFF;
    }

    int u8() throws IOException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int u16(boolean bigEndian) throws IOException {
        need(2);
        int v = bigEndian ? ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF)
                : (buf[pos] & 0xFF) | ((buf[pos + 1] & 0xFF) << 8);
        pos += 2;
        return v;
    }

    int i32(boolean bigEndian) throws IOException {
        int a = u16(bigEndian);
        int b = u16(bigEndian);
        return bigEndian ? (a << 16) | b : (b << 16) | a;
    }

    private void need(int n) throws IOException {
        if (!ensure(n)) {
            throw new DicomParseException("unexpected end of stream (needed " + n + " more bytes)", position());
        }
    }

    /**
     * Reads exactly {@code len} bytes. Past what is buffered, bytes go straight from the source
     * into the value. When the source's size is unknown the array grows only as bytes arrive.
     */
    byte[] readBytes(long len) throws IOException {
        if (len > Integer.MAX_VALUE - 16) {
            throw new DicomParseException("value of " + len + " bytes is too large to load", position());
        }
        checkRemaining(len, "value");
        int n = (int) len;
        byte[] out = new byte[limit >= 0 ? n : Math.min(n, GROWTH_START)];
        int done = Math.min(n, lim - pos);
        System.arraycopy(buf, pos, out, 0, done);
        pos += done;
        if (done == n) {
            return out;
        }
        base += pos;
        pos = 0;
        lim = 0;
        while (done < n) {
            if (done == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
            }
            int r = eof ? -1 : in.read(out, done, out.length - done);
            if (r < 0) {
                eof = true;
                throw new DicomParseException("unexpected end of stream inside a value of " + len
                        + " bytes (" + done + " read)", position());
            }
            base += r;
            done += r;
        }
        return out;
    }

    /** Skips exactly {@code len} bytes or fails at end of stream. */
    void skip(long len) throws IOException {
        checkRemaining(len, "skipped value");
        long left = len;
        while (left > 0) {
            if (lim == pos) {
                long s = in.skip(left);
                if (s > 0) {
                    base += s;
                    left -= s;
                    continue;
                }
                if (!ensure(1)) {
                    throw new DicomParseException("unexpected end of stream while skipping " + len + " bytes", position());
                }
            }
            int take = (int) Math.min(left, lim - pos);
            pos += take;
            left -= take;
        }
    }

    /** The unread bytes as a stream: what is buffered, then the rest of the source. */
    InputStream remainder() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pos < lim) {
                    int n = Math.min(len, lim - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                int n = in.read(b, off, len);
                if (n > 0) {
                    base += n;
                }
                return n;
            }
        };
    }

    /** Skips a prefix known to be present (already peeked). */
    void skipPeeked(int n) {
        pos += n;
    }
}
