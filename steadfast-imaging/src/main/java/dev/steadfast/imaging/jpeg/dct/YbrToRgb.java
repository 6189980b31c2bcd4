package dev.steadfast.imaging.jpeg.dct;

/**
 * YCbCr (YBR_FULL) to RGB at any sample precision, in place, with the fixed-point tables of the
 * IJG library ({@code jdcolor.c}), so 12-bit colour agrees with dcmtk exactly. The module's
 * 8-bit path keeps its own conversion ({@code render.ColorSpaces}), which clamps to 8 bits.
 */
public final class YbrToRgb {
    private static final int SCALEBITS = 16;
    private static final long ONE_HALF = 1L << (SCALEBITS - 1);

    private YbrToRgb() {}

    private static long fix(double x) {
        return (long) (x * (1L << SCALEBITS) + 0.5);
    }

    /** Converts interleaved Y, Cb, Cr triples of {@code precision}-bit samples to R, G, B. */
    public static void convert(int[] s, int precision) {
        int max = (1 << precision) - 1;
        int center = 1 << (precision - 1);
        int[] crR = new int[max + 1];
        int[] cbB = new int[max + 1];
        long[] crG = new long[max + 1];
        long[] cbG = new long[max + 1];
        for (int i = 0; i <= max; i++) {
            long x = i - center;
            crR[i] = (int) ((fix(1.40200) * x + ONE_HALF) >> SCALEBITS);
            cbB[i] = (int) ((fix(1.77200) * x + ONE_HALF) >> SCALEBITS);
            crG[i] = -fix(0.71414) * x;
            cbG[i] = -fix(0.34414) * x + ONE_HALF;
        }
        for (int i = 0; i + 2 < s.length; i += 3) {
            int y = s[i];
            int cb = s[i + 1] & max;
            int cr = s[i + 2] & max;
            s[i] = clamp(y + crR[cr], max);
            s[i + 1] = clamp(y + (int) ((cbG[cb] + crG[cr]) >> SCALEBITS), max);
            s[i + 2] = clamp(y + cbB[cb], max);
        }
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
