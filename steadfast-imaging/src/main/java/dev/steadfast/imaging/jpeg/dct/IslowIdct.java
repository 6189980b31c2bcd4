package dev.steadfast.imaging.jpeg.dct;

/**
 * The accurate integer inverse DCT of the IJG library ({@code jidctint.c}, "islow"), which
 * dcmtk and the JDK's JPEG reader both use: porting it gives their sample values exactly, where
 * a floating-point IDCT would differ by one here and there. Dequantizes, transforms, level
 * shifts and range-limits one 8x8 block, for 8- or 12-bit precision.
 */
final class IslowIdct {
    private static final int CONST_BITS = 13;
    private static final long FIX_0_298631336 = 2446;
    private static final long FIX_0_390180644 = 3196;
    private static final long FIX_0_541196100 = 4433;
    private static final long FIX_0_765366865 = 6270;
    private static final long FIX_0_899976223 = 7373;
    private static final long FIX_1_175875602 = 9633;
    private static final long FIX_1_501321110 = 12299;
    private static final long FIX_1_847759065 = 15137;
    private static final long FIX_1_961570560 = 16069;
    private static final long FIX_2_053119869 = 16819;
    private static final long FIX_2_562915447 = 20995;
    private static final long FIX_3_072711026 = 25172;

    private final int pass1Bits;
    private final int rangeMask;
    /** IJG's post-IDCT range-limit table: wraps like {@code x & RANGE_MASK}, then clamps after the level shift. */
    private final short[] rangeLimit;
    private final int[] workspace = new int[64];
    private final long[] result = new long[8];

    IslowIdct(int precision) {
        pass1Bits = precision == 8 ? 2 : 1;
        int max = (1 << precision) - 1;
        int center = 1 << (precision - 1);
        rangeMask = 4 * (max + 1) - 1;
        rangeLimit = new short[rangeMask + 1];
        for (int v = 0; v <= rangeMask; v++) {
            int x = (v < 2 * (max + 1) ? v : v - 4 * (max + 1)) + center;
            rangeLimit[v] = (short) Math.max(0, Math.min(max, x));
        }
    }

    private static long descale(long x, int n) {
        return (x + (1L << (n - 1))) >> n;
    }

    /**
     * Transforms {@code coef} (natural order, as decoded) with {@code quant} (natural order) and
     * writes 8x8 samples to {@code out} starting at {@code offset} with row stride {@code stride}.
     */
    void transform(short[] coef, int[] quant, short[] out, int offset, int stride) {
        int[] ws = workspace;
        int shift1 = CONST_BITS - pass1Bits;
        for (int c = 0; c < 8; c++) {
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[32 + c] == 0
                    && coef[40 + c] == 0 && coef[48 + c] == 0 && coef[56 + c] == 0) {
                int dc = (int) ((long) coef[c] * quant[c] << pass1Bits);
                for (int r = 0; r < 8; r++) {
                    ws[r * 8 + c] = dc;
                }
                continue;
            }
            long[] t = butterfly(
                    (long) coef[c] * quant[c], (long) coef[8 + c] * quant[8 + c], (long) coef[16 + c] * quant[16 + c],
                    (long) coef[24 + c] * quant[24 + c], (long) coef[32 + c] * quant[32 + c], (long) coef[40 + c] * quant[40 + c],
                    (long) coef[48 + c] * quant[48 + c], (long) coef[56 + c] * quant[56 + c]);
            for (int r = 0; r < 8; r++) {
                ws[r * 8 + c] = (int) descale(t[r], shift1);
            }
        }
        int shift2 = CONST_BITS + pass1Bits + 3;
        for (int r = 0; r < 8; r++) {
            int w = r * 8;
            int o = offset + r * stride;
            if (ws[w + 1] == 0 && ws[w + 2] == 0 && ws[w + 3] == 0 && ws[w + 4] == 0
                    && ws[w + 5] == 0 && ws[w + 6] == 0 && ws[w + 7] == 0) {
                short v = rangeLimit[(int) descale(ws[w], pass1Bits + 3) & rangeMask];
                for (int c = 0; c < 8; c++) {
                    out[o + c] = v;
                }
                continue;
            }
            long[] t = butterfly(ws[w], ws[w + 1], ws[w + 2], ws[w + 3], ws[w + 4], ws[w + 5], ws[w + 6], ws[w + 7]);
            for (int c = 0; c < 8; c++) {
                out[o + c] = rangeLimit[(int) descale(t[c], shift2) & rangeMask];
            }
        }
    }

    /** One 1-D pass of jidctint.c: outputs 0..7, still scaled by 2^CONST_BITS. */
    private long[] butterfly(long i0, long i1, long i2, long i3, long i4, long i5, long i6, long i7) {
        // Even part
        long z1 = (i2 + i6) * FIX_0_541196100;
        long tmp2 = z1 + i6 * -FIX_1_847759065;
        long tmp3 = z1 + i2 * FIX_0_765366865;
        long tmp0 = (i0 + i4) << CONST_BITS;
        long tmp1 = (i0 - i4) << CONST_BITS;
        long tmp10 = tmp0 + tmp3;
        long tmp13 = tmp0 - tmp3;
        long tmp11 = tmp1 + tmp2;
        long tmp12 = tmp1 - tmp2;
        // Odd part
        tmp0 = i7;
        tmp1 = i5;
        tmp2 = i3;
        tmp3 = i1;
        z1 = tmp0 + tmp3;
        long z2 = tmp1 + tmp2;
        long z3 = tmp0 + tmp2;
        long z4 = tmp1 + tmp3;
        long z5 = (z3 + z4) * FIX_1_175875602;
        tmp0 *= FIX_0_298631336;
        tmp1 *= FIX_2_053119869;
        tmp2 *= FIX_3_072711026;
        tmp3 *= FIX_1_501321110;
        z1 *= -FIX_0_899976223;
        z2 *= -FIX_2_562915447;
        z3 *= -FIX_1_961570560;
        z4 *= -FIX_0_390180644;
        z3 += z5;
        z4 += z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;
        long[] o = result;
        o[0] = tmp10 + tmp3;
        o[7] = tmp10 - tmp3;
        o[1] = tmp11 + tmp2;
        o[6] = tmp11 - tmp2;
        o[2] = tmp12 + tmp1;
        o[5] = tmp12 - tmp1;
        o[3] = tmp13 + tmp0;
        o[4] = tmp13 - tmp0;
        return o;
    }
}
