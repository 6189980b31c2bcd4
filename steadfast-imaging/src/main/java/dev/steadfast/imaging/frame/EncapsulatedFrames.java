package dev.steadfast.imaging.frame;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits encapsulated pixel data into frames (PS3.5 A.4): by the Extended Offset Table, else the
 * Basic Offset Table, else one fragment per frame, else by where a codestream starts (JPEG SOI,
 * J2K SOC, JP2 signature), else everything is one frame.
 */
public final class EncapsulatedFrames {
    private final Fragments fragments;
    private final int[][] frameFragments;

    private EncapsulatedFrames(Fragments fragments, int[][] frameFragments) {
        this.fragments = fragments;
        this.frameFragments = frameFragments;
    }

    /**
     * @param eotOffsets Extended Offset Table (7FE0,0001) offsets, or null
     */
    public static EncapsulatedFrames of(Fragments fragments, int frames, long[] eotOffsets) {
        int n = fragments.size() - 1; // item 0 is the Basic Offset Table
        if (n <= 0) {
            throw new PixelDataException("encapsulated pixel data has no fragments");
        }
        long[] offsets = eotOffsets != null && eotOffsets.length > 0 ? eotOffsets : fragments.basicOffsetTable();
        int[][] split;
        if (offsets.length > 0) {
            split = byOffsets(fragments, offsets);
        } else if (frames <= 1) {
            split = new int[][] {range(1, n + 1)};
        } else if (n == frames) {
            split = new int[frames][];
            for (int i = 0; i < frames; i++) {
                split[i] = new int[] {i + 1};
            }
        } else {
            split = byCodestreamStart(fragments);
        }
        if (split.length < frames) {
            throw new PixelDataException("Number of Frames is " + frames + " but the pixel data holds " + split.length);
        }
        return new EncapsulatedFrames(fragments, split);
    }

    public int count() { return frameFragments.length; }

    /** The compressed bytes of a frame, all its fragments joined. */
    public byte[] frame(int index) throws IOException {
        if (index < 0 || index >= frameFragments.length) {
            throw new PixelDataException("frame " + (index + 1) + " does not exist (" + frameFragments.length + " frames)");
        }
        int[] idx = frameFragments[index];
        if (idx.length == 1) {
            return bytes(fragments.get(idx[0]));
        }
        long total = 0;
        for (int i : idx) {
            total += Fragments.lengthOf(fragments.get(i));
        }
        if (total > ImageDescriptor.MAX_FRAME_BYTES) {
            throw new PixelDataException("compressed frame of " + total + " bytes exceeds the limit");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
        for (int i : idx) {
            out.write(bytes(fragments.get(i)));
        }
        return out.toByteArray();
    }

    private static byte[] bytes(Object fragment) throws IOException {
        if (fragment instanceof byte[] b) {
            return b;
        }
        BulkData bd = (BulkData) fragment;
        if (bd.length() > ImageDescriptor.MAX_FRAME_BYTES) {
            throw new PixelDataException("fragment of " + bd.length() + " bytes exceeds the limit");
        }
        return bd.readAll();
    }

    private static int[][] byOffsets(Fragments f, long[] offsets) {
        int n = f.size() - 1;
        long[] starts = new long[n + 1];
        for (int i = 0; i < n; i++) {
            starts[i + 1] = starts[i] + 8 + Fragments.lengthOf(f.get(i + 1));
        }
        int[][] out = new int[offsets.length][];
        for (int fr = 0; fr < offsets.length; fr++) {
            long from = offsets[fr];
            long to = fr + 1 < offsets.length ? offsets[fr + 1] : Long.MAX_VALUE;
            int first = Arrays.binarySearch(starts, 0, n, from);
            if (first < 0 || to <= from) {
                throw new PixelDataException("offset table entry " + fr + " (" + from + ") is not at a fragment start");
            }
            int last = first;
            while (last + 1 < n && starts[last + 1] < to) {
                last++;
            }
            out[fr] = range(first + 1, last + 2);
        }
        return out;
    }

    private static int[][] byCodestreamStart(Fragments f) {
        List<int[]> frames = new ArrayList<>();
        int start = 1;
        for (int i = 2; i < f.size(); i++) {
            if (startsCodestream(head(f.get(i)))) {
                frames.add(range(start, i));
                start = i;
            }
        }
        frames.add(range(start, f.size()));
        return frames.toArray(int[][]::new);
    }

    static boolean startsCodestream(byte[] h) {
        if (h.length >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8) {
            return true; // JPEG and JPEG-LS SOI
        }
        if (h.length >= 4 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0x4F && (h[2] & 0xFF) == 0xFF && (h[3] & 0xFF) == 0x51) {
            return true; // J2K SOC + SIZ
        }
        return h.length >= 8 && h[0] == 0 && h[1] == 0 && h[2] == 0 && h[3] == 0x0C && h[4] == 'j' && h[5] == 'P';
    }

    private static byte[] head(Object fragment) {
        if (fragment instanceof byte[] b) {
            return Arrays.copyOf(b, Math.min(8, b.length));
        }
        try (InputStream in = ((BulkData) fragment).openStream()) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw new PixelDataException("cannot read fragment", e);
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
