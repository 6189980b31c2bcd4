package dev.steadfast.web.stow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Reads the header of a Part 10 part (up to Pixel Data) to learn its UIDs before it is stored,
 * and gives back a stream that replays the bytes read followed by the rest of the part. Only
 * the header and the reader's look-ahead are held.
 */
final class PartHeader {
    final Dataset dataset;
    final InputStream replay;

    private PartHeader(Dataset dataset, InputStream replay) {
        this.dataset = dataset;
        this.replay = replay;
    }

    /**
     * @return the header and the replaying stream; a header that does not parse gives a null
     *         data set (ingest then reports why) but the same full replay
     */
    static PartHeader read(InputStream part) throws IOException {
        Recording rec = new Recording(part);
        Dataset ds;
        try {
            DicomFile f = DicomReader.read(rec, ReadOptions.headerOnly());
            ds = f.dataset();
        } catch (dev.steadfast.dicom.DicomParseException | RuntimeException e) {
            ds = null;
        }
        InputStream replay = new SequenceInputStream(new ByteArrayInputStream(rec.bytes.toByteArray()), part);
        return new PartHeader(ds, replay);
    }

    private static final class Recording extends FilterInputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                bytes.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                bytes.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
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
        public boolean markSupported() { return false; }

        @Override
        public void close() { }
    }
}
