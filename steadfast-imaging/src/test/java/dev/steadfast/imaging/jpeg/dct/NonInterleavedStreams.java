package dev.steadfast.imaging.jpeg.dct;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

/**
 * Builds a 3-component sequential JPEG with one scan per component (non-interleaved, T.81 A.2.2)
 * by splicing three grayscale streams from the JDK writer: a single-component scan of a W x H
 * gray image is exactly the scan of a component that is W x H at its own resolution. Each scan
 * brings its own Huffman tables (redefined between scans) and restart interval.
 */
final class NonInterleavedStreams {
    private NonInterleavedStreams() {}

    /** Luma {@code h}x{@code v}, chroma 1x1; {@code restart} per scan (0 for none). */
    static byte[] build(int width, int height, int h, int v, int[] restart, long seed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xFF, (byte) 0xD8});
        byte[][] gray = new byte[3][];
        for (int i = 0; i < 3; i++) {
            int w = i == 0 ? width : (width + h - 1) / h;
            int ht = i == 0 ? height : (height + v - 1) / v;
            BufferedImage img = JdkJpegStreams.image(w, ht, false, seed + i);
            gray[i] = JdkJpegStreams.encode(img, 1, 1, restart[i], 0.5f + 0.2f * i);
            byte[] dqt = segment(gray[i], 0xDB);
            dqt[4] = (byte) i; // table 0 becomes table i
            out.write(dqt);
        }
        out.write(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 3,
            1, (byte) (h << 4 | v), 0, 2, 0x11, 1, 3, 0x11, 2});
        for (int i = 0; i < 3; i++) {
            if (restart[i] == 0) {
                out.write(new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, 0, 0}); // a DRI stays in force until redefined
            }
            for (int p = 2; p + 1 < gray[i].length; ) {
                int m = gray[i][p + 1] & 0xFF;
                int len = (gray[i][p + 2] & 0xFF) << 8 | (gray[i][p + 3] & 0xFF);
                if (m == 0xC4 || m == 0xDD) {
                    out.write(gray[i], p, 2 + len);
                }
                if (m == 0xDA) {
                    out.write(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, (byte) (i + 1), 0, 0, 63, 0});
                    int start = p + 2 + len;
                    out.write(gray[i], start, gray[i].length - 2 - start); // entropy data up to EOI
                    break;
                }
                p += 2 + len;
            }
        }
        out.write(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    /** A copy of the first segment with this marker, marker and length included. */
    private static byte[] segment(byte[] b, int marker) {
        for (int p = 2; p + 3 < b.length; ) {
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if ((b[p + 1] & 0xFF) == marker) {
                return java.util.Arrays.copyOfRange(b, p, p + 2 + len);
            }
            p += 2 + len;
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    static int scanCount(byte[] b) {
        int n = 0;
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) {
                n++;
            }
        }
        return n;
    }
}
