package dev.steadfast.archive.ingest;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Records every byte read through it while the header is parsed, so that the same bytes can
 * then go to storage followed by the rest of the stream, unread. Only the header (and the
 * parser's read-ahead) is ever held; pixel data flows straight from the source to storage.
 */
final class HeaderCapture extends FilterInputStream {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream(8 * 1024);

    HeaderCapture(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            captured.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            captured.write(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be captured too: read them.
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() { return false; }

    @Override
    public void close() {
        // the source belongs to the caller
    }

    /** The bytes read so far. */
    byte[] captured() { return captured.toByteArray(); }

    /** The source, positioned after the captured bytes. */
    InputStream source() { return in; }
}
