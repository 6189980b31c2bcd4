package dev.steadfast.dicom.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;

/**
 * Records every byte read through it, so a header can be parsed on the way (with
 * {@link ReadOptions#headerOnly()}) and the same bytes then passed on unchanged, followed by
 * the rest of the source, unread. Only the header and the parser's read-ahead are held; pixel
 * data flows from the source to wherever the replay goes. Closing does not close the source.
 * A caller that must bound what is held (ingest spills a large header to disk) records into its
 * own stream instead, and replays from its own copy followed by {@link #source()}.
 */
public final class RecordingInputStream extends FilterInputStream {
    /** The heap copy, null when the caller records into its own stream. */
    private final ByteArrayOutputStream recorded;
    private final OutputStream recording;

    public RecordingInputStream(InputStream source) {
        this(source, new ByteArrayOutputStream(16 * 1024));
    }

    /**
     * Records into {@code recording} (not closed by this stream); {@link #recorded()} and
     * {@link #replay()} are then the caller's to provide. An IOException of {@code recording}
     * comes out of the read that recorded.
     */
    public RecordingInputStream(InputStream source, OutputStream recording) {
        super(source);
        this.recording = recording;
        this.recorded = recording instanceof ByteArrayOutputStream heap ? heap : null;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            recording.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            recording.write(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be recorded too: read them.
        byte[] sink = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long done = 0;
        while (done < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the source belongs to the caller
    }

    /** The bytes read so far (only when recording on the heap). */
    public byte[] recorded() {
        if (recorded == null) {
            throw new IllegalStateException("the bytes were recorded into the caller's stream");
        }
        return recorded.toByteArray();
    }

    /** The source, positioned after the recorded bytes. */
    public InputStream source() {
        return in;
    }

    /** Everything: the recorded bytes, then the unread rest of the source. */
    public InputStream replay() {
        return new SequenceInputStream(new ByteArrayInputStream(recorded()), in);
    }
}
