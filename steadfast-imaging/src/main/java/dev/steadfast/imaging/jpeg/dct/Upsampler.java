package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.PixelDataException;

/**
 * Brings every component to full resolution and interleaves them, as the IJG library
 * ({@code jdsample.c}, default "fancy" upsampling) does: triangle filters for 2:1 horizontal
 * (4:2:2) and 2:1 both ways (4:2:0), replication for other integral ratios. Matching it is what
 * makes subsampled colour agree with dcmtk and the JDK to the last bit.
 */
final class Upsampler {
    private Upsampler() {}

    static int[] interleave(FrameHeader f) {
        int n = f.components().size();
        int w = f.columns();
        int h = f.rows();
        int[] out = new int[w * h * n];
        int[] row = new int[2 * w + 16];
        for (int ci = 0; ci < n; ci++) {
            Component c = f.components().get(ci);
            if (f.hMax() % c.h != 0 || f.vMax() % c.v != 0) {
                throw new PixelDataException("JPEG sampling factors " + c.h + "x" + c.v + " against " + f.hMax() + "x" + f.vMax()
                        + " are not integral ratios");
            }
            int hr = f.hMax() / c.h;
            int vr = f.vMax() / c.v;
            boolean fancy = c.width > 2 && hr == 2 && (vr == 1 || vr == 2);
            for (int y = 0; y < h; y++) {
                int inRow = y / vr;
                if (fancy && vr == 2) {
                    int other = Math.max(0, Math.min(c.height - 1, (y & 1) == 0 ? inRow - 1 : inRow + 1));
                    h2v2(c, inRow, other, row);
                } else if (fancy) {
                    h2v1(c, inRow, row);
                } else {
                    int base = inRow * c.stride;
                    for (int x = 0; x < w; x++) {
                        row[x] = c.plane[base + x / hr];
                    }
                }
                for (int x = 0, o = y * w * n + ci; x < w; x++, o += n) {
                    out[o] = row[x];
                }
            }
        }
        return out;
    }

    /** IJG h2v1_fancy_upsample: each output sample is 3/4 of the nearer input and 1/4 of the further. */
    private static void h2v1(Component c, int inRow, int[] out) {
        short[] p = c.plane;
        int b = inRow * c.stride;
        int n = c.width;
        out[0] = p[b];
        out[1] = (p[b] * 3 + p[b + 1] + 2) >> 2;
        for (int i = 1; i < n - 1; i++) {
            int v = p[b + i] * 3;
            out[2 * i] = (v + p[b + i - 1] + 1) >> 2;
            out[2 * i + 1] = (v + p[b + i + 1] + 2) >> 2;
        }
        out[2 * n - 2] = (p[b + n - 1] * 3 + p[b + n - 2] + 1) >> 2;
        out[2 * n - 1] = p[b + n - 1];
    }

    /** IJG h2v2_fancy_upsample for one output row: the input row weighted 3:1 with its vertical neighbour. */
    private static void h2v2(Component c, int inRow, int nearRow, int[] out) {
        short[] p = c.plane;
        int b0 = inRow * c.stride;
        int b1 = nearRow * c.stride;
        int n = c.width;
        int thisSum = p[b0] * 3 + p[b1];
        int nextSum = p[b0 + 1] * 3 + p[b1 + 1];
        out[0] = (thisSum * 4 + 8) >> 4;
        out[1] = (thisSum * 3 + nextSum + 7) >> 4;
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int i = 1; i < n - 1; i++) {
            nextSum = p[b0 + i + 1] * 3 + p[b1 + i + 1];
            out[2 * i] = (thisSum * 3 + lastSum + 8) >> 4;
            out[2 * i + 1] = (thisSum * 3 + nextSum + 7) >> 4;
            lastSum = thisSum;
            thisSum = nextSum;
        }
        out[2 * n - 2] = (thisSum * 3 + lastSum + 8) >> 4;
        out[2 * n - 1] = (thisSum * 4 + 7) >> 4;
    }
}
