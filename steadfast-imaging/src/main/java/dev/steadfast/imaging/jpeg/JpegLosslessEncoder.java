package dev.steadfast.imaging.jpeg;

import dev.steadfast.imaging.ImageDescriptor;

import java.io.ByteArrayOutputStream;

/**
 * JPEG lossless process 14, selection value 1 (ITU-T T.81 H.1): each sample is predicted from its
 * left neighbour (from above in the first column), and the difference category is Huffman coded
 * with a table optimised for the frame. One interleaved scan, point transform 0.
 */
public final class JpegLosslessEncoder {
    private JpegLosslessEncoder() {}

    public static byte[] encode(int[] samples, ImageDescriptor d) {
        int p = d.bitsStored();
        int nc = d.samplesPerPixel();
        int w = d.columns();
        int h = d.rows();
        int mask = (1 << p) - 1;
        int[] diff = new int[w * h * nc];
        long[] freq = new long[17];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < nc; c++) {
                    int i = (y * w + x) * nc + c;
                    int pred;
                    if (x == 0 && y == 0) {
                        pred = 1 << (p - 1);
                    } else if (x == 0) {
                        pred = samples[i - w * nc] & mask;
                    } else {
                        pred = samples[i - nc] & mask;
                    }
                    int dv = ((samples[i] & mask) - pred) & 0xFFFF;
                    if (dv > 0x8000) {
                        dv -= 0x10000;
                    }
                    diff[i] = dv;
                    freq[category(dv)]++;
                }
            }
        }
        HuffmanTable t = new HuffmanTable(freq);
        ByteArrayOutputStream out = new ByteArrayOutputStream(diff.length);
        marker(out, 0xD8);
        marker(out, 0xC3);
        u16(out, 8 + 3 * nc);
        out.write(p);
        u16(out, h);
        u16(out, w);
        out.write(nc);
        for (int c = 0; c < nc; c++) {
            out.write(c + 1);
            out.write(0x11);
            out.write(0);
        }
        marker(out, 0xC4);
        u16(out, 3 + 16 + t.values.length);
        out.write(0x00);
        for (int l = 1; l <= 16; l++) {
            out.write(t.bits[l]);
        }
        for (int v : t.values) {
            out.write(v);
        }
        marker(out, 0xDA);
        u16(out, 6 + 2 * nc);
        out.write(nc);
        for (int c = 0; c < nc; c++) {
            out.write(c + 1);
            out.write(0x00);
        }
        out.write(1); // Ss: predictor 1
        out.write(0); // Se
        out.write(0); // Ah/Al: point transform 0
        BitWriter bw = new BitWriter(out);
        for (int dv : diff) {
            int cat = category(dv);
            bw.write(t.code[cat], t.size[cat]);
            if (cat > 0 && cat < 16) {
                bw.write(dv > 0 ? dv : dv - 1, cat);
            }
        }
        bw.flush();
        marker(out, 0xD9);
        return out.toByteArray();
    }

    static int category(int dv) {
        if (dv == 0x8000) {
            return 16;
        }
        int a = Math.abs(dv);
        return 32 - Integer.numberOfLeadingZeros(a);
    }

    private static void marker(ByteArrayOutputStream out, int m) {
        out.write(0xFF);
        out.write(m);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    /** MSB-first bit output with 0xFF byte stuffing; the last byte is padded with ones. */
    static final class BitWriter {
        private final ByteArrayOutputStream out;
        private long acc;
        private int n;

        BitWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int value, int bits) {
            acc = (acc << bits) | (value & ((1L << bits) - 1));
            n += bits;
            while (n >= 8) {
                int b = (int) (acc >>> (n - 8)) & 0xFF;
                out.write(b);
                if (b == 0xFF) {
                    out.write(0);
                }
                n -= 8;
            }
        }

        void flush() {
            if (n > 0) {
                write((1 << (8 - n)) - 1, 8 - n);
            }
        }
    }
}
