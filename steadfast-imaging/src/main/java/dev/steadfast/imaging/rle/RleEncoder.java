package dev.steadfast.imaging.rle;

import dev.steadfast.imaging.ImageDescriptor;

import java.io.ByteArrayOutputStream;

/** RLE Lossless encoding (PS3.5 Annex G): PackBits per byte plane, each row encoded separately (G.3.1). */
public final class RleEncoder {
    private RleEncoder() {}

    public static byte[] encode(byte[] frame, ImageDescriptor image) {
        int spp = image.samplesPerPixel();
        int bps = image.bytesPerSample();
        int segments = spp * bps;
        if (segments > 15) {
            throw new IllegalArgumentException("RLE allows at most 15 segments, need " + segments);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length / 2 + 64);
        out.write(new byte[64], 0, 64);
        byte[] header = new byte[64];
        put32(header, 0, segments);
        byte[] row = new byte[image.columns()];
        int stride = segments;
        for (int s = 0; s < segments; s++) {
            put32(header, 4 + 4 * s, out.size());
            int pos = (s / bps) * bps + (bps - 1 - s % bps);
            for (int r = 0; r < image.rows(); r++) {
                int base = (r * image.columns()) * stride + pos;
                for (int c = 0; c < row.length; c++) {
                    row[c] = frame[base + c * stride];
                }
                packRow(row, out);
            }
            if ((out.size() & 1) != 0) {
                out.write(0); // segments are padded to even length
            }
        }
        byte[] b = out.toByteArray();
        System.arraycopy(header, 0, b, 0, 64);
        return b;
    }

    static void packRow(byte[] row, ByteArrayOutputStream out) {
        int n = row.length;
        int i = 0;
        while (i < n) {
            int run = 1;
            while (i + run < n && run < 128 && row[i + run] == row[i]) {
                run++;
            }
            if (run >= 2) {
                out.write(1 - run);
                out.write(row[i]);
                i += run;
                continue;
            }
            int start = i;
            // literal until a run of 2 starts or 128 bytes
            while (i < n && i - start < 128 && !(i + 1 < n && row[i] == row[i + 1])) {
                i++;
            }
            out.write(i - start - 1);
            out.write(row, start, i - start);
        }
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}
