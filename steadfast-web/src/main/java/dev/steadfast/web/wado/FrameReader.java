package dev.steadfast.web.wado;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.web.http.HttpError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;

/**
 * Copies frames out of a stored object's Pixel Data, forward only; asking for an earlier frame
 * reopens the object. Native frames come out little endian (PS3.18 8.7.3.3.2); encapsulated
 * frames come out as the bytes of their fragments, joined.
 */
final class FrameReader implements AutoCloseable {
    private final Callable<InputStream> opener;
    private final Geometry geometry;
    private final int bitsAllocated;
    private InputStream raw;
    private PixelDataStream px;
    /** Native: bytes of the value consumed. Encapsulated: frames passed. */
    private long position;
    private long fragmentStart = -1;
    private long[] bot;
    private byte[] pendingFragmentHead;

    /** Frame layout from the stored metadata. */
    record Geometry(int frames, long frameBytes, int bitsAllocated) {
        static Geometry of(Dataset meta) {
            int rows = meta.getInt(Tag.Rows, 0);
            int cols = meta.getInt(Tag.Columns, 0);
            int spp = meta.getInt(Tag.SamplesPerPixel, 1);
            int bits = meta.getInt(Tag.BitsAllocated, 0);
            int frames = Math.max(1, parseInt(meta.getString(Tag.NumberOfFrames)));
            String pi = meta.getString(Tag.PhotometricInterpretation, "").strip();
            // 4:2:2 subsampled colour stores two samples per pixel (PS3.3 C.7.6.3.1.2).
            int samples = pi.endsWith("_422") && spp == 3 ? 2 : spp;
            long bitsPerFrame = (long) rows * cols * samples * bits;
            return new Geometry(frames, (bitsPerFrame + 7) / 8, bits);
        }

        private static int parseInt(String s) {
            try {
                return s == null ? 1 : Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                return 1;
            }
        }
    }

    FrameReader(Callable<InputStream> opener, Geometry geometry) {
        this.opener = opener;
        this.geometry = geometry;
        this.bitsAllocated = geometry.bitsAllocated();
    }

    /** Writes frame {@code frame} (1-based) to {@code out}. */
    void copy(int frame, OutputStream out) throws IOException {
        if (frame < 1 || frame > geometry.frames()) {
            throw HttpError.notFound("frame " + frame + " does not exist: the instance has " + geometry.frames());
        }
        if (px == null || !isAhead(frame)) {
            reopen();
        }
        if (px.length == PixelDataStream.UNDEFINED) {
            copyEncapsulated(frame, out);
        } else {
            copyNative(frame, out);
        }
    }

    /**
     * Opens the object at its pixel data and checks that {@code frame} lies within a native value,
     * so a missing value or frame is found before a response is committed.
     */
    void check(int frame) throws IOException {
        if (frame < 1 || frame > geometry.frames()) {
            throw HttpError.notFound("frame " + frame + " does not exist: the instance has " + geometry.frames());
        }
        if (px == null || !isAhead(frame)) {
            reopen();
        }
        if (px.length != PixelDataStream.UNDEFINED && (frame - 1) * geometry.frameBytes() + geometry.frameBytes() > px.length) {
            throw HttpError.notFound("frame " + frame + " lies beyond the stored pixel data");
        }
    }

    /** Opens the object at its Pixel Data value; false when it has no Pixel Data element. */
    boolean open() throws IOException {
        try {
            reopen();
            return true;
        } catch (HttpError e) {
            if (px != null && !px.found) {
                return false;
            }
            throw e;
        }
    }

    private boolean isAhead(int frame) {
        return px.length == PixelDataStream.UNDEFINED ? frame > position
                : (frame - 1) * geometry.frameBytes() >= position;
    }

    private void reopen() throws IOException {
        close();
        try {
            raw = opener.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        px = PixelDataStream.open(raw);
        if (!px.found) {
            throw HttpError.notFound("the instance has no pixel data");
        }
        position = 0;
        bot = null;
        pendingFragmentHead = null;
        fragmentStart = -1;
    }

    /** Writes the whole native Pixel Data value, little endian; false when the data is encapsulated. */
    boolean copyWholeNative(OutputStream out) throws IOException {
        if (px == null || position != 0) {
            reopen();
        }
        if (px.length == PixelDataStream.UNDEFINED) {
            return false;
        }
        copyBytes(px.length, out);
        return true;
    }

    private void copyNative(int frame, OutputStream out) throws IOException {
        long size = geometry.frameBytes();
        long start = (frame - 1) * size;
        if (start + size > px.length) {
            throw HttpError.notFound("frame " + frame + " lies beyond the stored pixel data");
        }
        px.in.skipNBytes(start - position);
        copyBytes(size, out);
        position = start + size;
    }

    private void copyBytes(long size, OutputStream out) throws IOException {
        boolean swap = px.syntax.bigEndian() && bitsAllocated > 8;
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            px.in.readNBytes(buf, 0, n);
            if (swap) {
                for (int i = 0; i + 1 < n; i += 2) { // 16-bit words (32-bit pixel data is rare enough to leave)
                    byte t = buf[i];
                    buf[i] = buf[i + 1];
                    buf[i + 1] = t;
                }
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /**
     * Fragments belong to frames by the Basic Offset Table when there is one; otherwise a single
     * frame takes all fragments, and several frames take one fragment each, a fragment that does
     * not open with a codestream marker continuing the previous frame.
     */
    private void copyEncapsulated(int frame, OutputStream out) throws IOException {
        if (bot == null) {
            readBot();
        }
        while (position < frame) {
            boolean wanted = position + 1 == frame;
            if (!nextFrame(wanted ? out : OutputStream.nullOutputStream())) {
                throw HttpError.notFound("frame " + frame + " is missing from the stored pixel data");
            }
            position++;
        }
    }

    private void readBot() throws IOException {
        int t = px.item();
        if (!PixelDataStream.isItem(t)) {
            throw new IOException("encapsulated pixel data does not start with the offset table item");
        }
        byte[] table = px.in.readNBytes((int) px.itemLength);
        bot = new long[table.length / 4];
        for (int i = 0; i < bot.length; i++) {
            bot[i] = (table[i * 4] & 0xFFL) | (table[i * 4 + 1] & 0xFFL) << 8 | (table[i * 4 + 2] & 0xFFL) << 16
                    | (table[i * 4 + 3] & 0xFFL) << 24;
        }
        fragmentStart = 0;
    }

    /** Copies the next frame's fragments; false at the end of the pixel data. */
    private boolean nextFrame(OutputStream out) throws IOException {
        int index = (int) position;
        long end = bot.length == geometry.frames() && index + 1 < bot.length ? bot[index + 1] : -1;
        boolean single = geometry.frames() == 1;
        boolean any = false;
        while (true) {
            if (pendingFragmentHead == null) {
                int t;
                try {
                    t = px.item();
                } catch (java.io.EOFException e) {
                    if (any) {
                        return true; // a file that ends without its Sequence Delimitation Item (seen in the wild)
                    }
                    throw e;
                }
                if (PixelDataStream.isSequenceEnd(t)) {
                    return any;
                }
                pendingFragmentHead = px.in.readNBytes((int) Math.min(2, px.itemLength));
                pendingLength = px.itemLength;
            }
            boolean opensFrame = pendingFragmentHead.length == 2 && (pendingFragmentHead[0] & 0xFF) == 0xFF
                    && ((pendingFragmentHead[1] & 0xFF) == 0xD8 || (pendingFragmentHead[1] & 0xFF) == 0x4F);
            if (any && !single) {
                if (end >= 0 ? fragmentStart >= end : (opensFrame || !isCodestream)) {
                    return true; // the fragment belongs to the next frame
                }
            }
            if (!any) {
                isCodestream = opensFrame;
            }
            out.write(pendingFragmentHead);
            copyExactly(pendingLength - pendingFragmentHead.length, out);
            fragmentStart += 8 + pendingLength;
            pendingFragmentHead = null;
            any = true;
        }
    }

    private long pendingLength;
    /** Whether the current frame opened with a marker, so unmarked fragments continue it. */
    private boolean isCodestream;

    private void copyExactly(long n, OutputStream out) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(n, 1))];
        while (n > 0) {
            int r = px.in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new java.io.EOFException("stored pixel data ends inside a fragment");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    @Override
    public void close() throws IOException {
        if (raw != null) {
            raw.close();
            raw = null;
            px = null;
        }
    }
}
