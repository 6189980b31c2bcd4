package dev.steadfast.imaging.render;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Baseline JPEG of an 8-bit grey image, computing exactly what the JDK's writer (libjpeg 6b) computes
 * for it: the same integer DCT (jfdctint.c, "islow"), the same rounded division by the same
 * quantisation table (the standard luminance table of ITU-T T.81 K.1 scaled by quality as the JDK
 * scales it), the standard Huffman tables (K.3), edges padded by repeating the last column and row.
 * So the decoded pixels are the JDK writer's, bit for bit ({@code Issue19GreyJpegSamePixelsTest}); it exists
 * because the JDK's libjpeg (no SIMD, a JNI call back per scanline) was most of a rendered CT frame's
 * CPU time (issue 19): this takes about 0.6x its time for a 512x512 frame (docs/PERFORMANCE.md, round four).
 */
public final class GreyJpegEncoder {
    private static final int[] NATURAL = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63};
    /** T.81 Table K.1, natural order. */
    private static final int[] LUMINANCE = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    private static final byte[] DC_BITS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] DC_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final byte[] AC_BITS = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
    private static final byte[] AC_VALUES = bytes(
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa);
    // Codes and lengths of the two tables by symbol (T.81 Annex C).
    static final int[] DC_CODE = new int[256];
    static final int[] DC_SIZE = new int[256];
    static final int[] AC_CODE = new int[256];
    static final int[] AC_SIZE = new int[256];

    static {
        codes(DC_BITS, DC_VALUES, DC_CODE, DC_SIZE);
        codes(AC_BITS, AC_VALUES, AC_CODE, AC_SIZE);
    }

    // jfdctint.c's constants: CONST_BITS 13, PASS1_BITS 2.
    private static final int CONST_BITS = 13;
    private static final int PASS1_BITS = 2;
    private static final int FIX_0_298631336 = 2446;
    private static final int FIX_0_390180644 = 3196;
    private static final int FIX_0_541196100 = 4433;
    private static final int FIX_0_765366865 = 6270;
    private static final int FIX_0_899976223 = 7373;
    private static final int FIX_1_175875602 = 9633;
    private static final int FIX_1_501321110 = 12299;
    private static final int FIX_1_847759065 = 15137;
    private static final int FIX_1_961570560 = 16069;
    private static final int FIX_2_053119869 = 16819;
    private static final int FIX_2_562915447 = 20995;
    private static final int FIX_3_072711026 = 25172;

    private static final byte[] EOI = {(byte) 0xFF, (byte) 0xD9};
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private GreyJpegEncoder() {}

    /** Whether {@link #write} takes this image: 8-bit grey in one byte per pixel. */
    public static boolean accepts(BufferedImage img) {
        Raster r = img.getRaster();
        return img.getType() == BufferedImage.TYPE_BYTE_GRAY && r.getDataBuffer() instanceof DataBufferByte
                && r.getSampleModel() instanceof ComponentSampleModel c && c.getPixelStride() == 1 && r.getNumBands() == 1;
    }

    /** @param quality 1-100, as {@code ImageWriteParam.setCompressionQuality(quality / 100f)} on the JDK's writer */
    public static void write(BufferedImage img, int quality, OutputStream out) throws IOException {
        if (!accepts(img)) {
            throw new IllegalArgumentException("not an 8-bit grey image");
        }
        Raster r = img.getRaster();
        ComponentSampleModel sm = (ComponentSampleModel) r.getSampleModel();
        byte[] px = ((DataBufferByte) r.getDataBuffer()).getData();
        int stride = sm.getScanlineStride();
        int base = r.getDataBuffer().getOffset() + sm.getOffset(r.getMinX() - r.getSampleModelTranslateX(),
                r.getMinY() - r.getSampleModelTranslateY());
        int w = img.getWidth();
        int h = img.getHeight();
        int[] q = table(quality);
        EntropyBits bits = new EntropyBits(w * h / 4 + 1024);
        long[] recip = new long[64]; // exact division by quant << 3 as a multiply (see quantize)
        int[] divisor = new int[64];
        for (int i = 0; i < 64; i++) {
            divisor[i] = q[i] << 3;
            recip[i] = (1L << 40) / divisor[i] + 1;
        }
        int[] block = new int[64];
        int[] zz = new int[64];
        int lastDc = 0;
        for (int by = 0; by < h; by += 8) {
            for (int bx = 0; bx < w; bx += 8) {
                int p = base + by * stride + bx;
                if (bx + 8 <= w && by + 8 <= h && uniform(px, p, stride)) {
                    // One grey value: the DCT gives 64 * (value - 128) as DC and zero for every AC term.
                    int dc = quantize(((px[p] & 0xFF) - 128) << 6, divisor[0], recip[0]);
                    bits.block(dc - lastDc, zz, 0);
                    lastDc = dc;
                    continue;
                }
                load(px, base, stride, w, h, bx, by, block);
                fdct(block);
                lastDc = encode(block, divisor, recip, lastDc, bits, zz);
            }
        }
        bits.flush();
        out.write(header(w, h, q));
        bits.writeTo(out);
        out.write(EOI);
    }

    /** The JDK's table: K.1 times (200 - 2 * quality) / 100 (quality 50 or more) or 50 / quality, rounded, 1-255. */
    static int[] table(int quality) {
        int q = Math.max(1, Math.min(100, quality));
        float scale = q < 50 ? 50f / q : (100 - q) / 50f; // JPEG.convertToLinearQuality
        int[] t = new int[64];
        for (int i = 0; i < 64; i++) {
            t[i] = Math.max(1, Math.min(255, Math.round(LUMINANCE[i] * scale))); // JPEGQTable.getScaledInstance(.., true)
        }
        return t;
    }

    /**
     * Whether the 8x8 block at {@code p} (inside the image) has one grey value throughout: the air
     * around a body in a windowed CT frame is a third or more of its blocks, and skipping their DCT
     * and quantisation changes no output bit (see the DC above).
     */
    private static boolean uniform(byte[] px, int p, int stride) {
        long row = (long) LONG_LE.get(px, p);
        if (row != (px[p] & 0xFFL) * 0x0101010101010101L) {
            return false;
        }
        for (int y = 1; y < 8; y++) {
            if ((long) LONG_LE.get(px, p + y * stride) != row) {
                return false;
            }
        }
        return true;
    }

    /** One 8x8 block less 128 (CENTERJSAMPLE), the edges repeated where the image ends (libjpeg's padding). */
    private static void load(byte[] px, int base, int stride, int w, int h, int bx, int by, int[] block) {
        boolean inside = bx + 8 <= w && by + 8 <= h;
        for (int y = 0; y < 8; y++) {
            int row = base + Math.min(by + y, h - 1) * stride;
            int o = y * 8;
            if (inside) {
                int p = row + bx;
                for (int x = 0; x < 8; x++) {
                    block[o + x] = (px[p + x] & 0xFF) - 128;
                }
            } else {
                for (int x = 0; x < 8; x++) {
                    block[o + x] = (px[row + Math.min(bx + x, w - 1)] & 0xFF) - 128;
                }
            }
        }
    }

    /** jfdctint.c of libjpeg 6b (jpeg_fdct_islow), in place: scaled up by 8 as its caller expects. */
    static void fdct(int[] d) {
        for (int o = 0; o < 64; o += 8) {
            int tmp0 = d[o] + d[o + 7];
            int tmp7 = d[o] - d[o + 7];
            int tmp1 = d[o + 1] + d[o + 6];
            int tmp6 = d[o + 1] - d[o + 6];
            int tmp2 = d[o + 2] + d[o + 5];
            int tmp5 = d[o + 2] - d[o + 5];
            int tmp3 = d[o + 3] + d[o + 4];
            int tmp4 = d[o + 3] - d[o + 4];
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            d[o] = (tmp10 + tmp11) << PASS1_BITS;
            d[o + 4] = (tmp10 - tmp11) << PASS1_BITS;
            int z1 = (tmp12 + tmp13) * FIX_0_541196100;
            d[o + 2] = descale(z1 + tmp13 * FIX_0_765366865, CONST_BITS - PASS1_BITS);
            d[o + 6] = descale(z1 - tmp12 * FIX_1_847759065, CONST_BITS - PASS1_BITS);
            odd(d, o, 1, tmp4, tmp5, tmp6, tmp7, CONST_BITS - PASS1_BITS);
        }
        for (int c = 0; c < 8; c++) {
            int tmp0 = d[c] + d[c + 56];
            int tmp7 = d[c] - d[c + 56];
            int tmp1 = d[c + 8] + d[c + 48];
            int tmp6 = d[c + 8] - d[c + 48];
            int tmp2 = d[c + 16] + d[c + 40];
            int tmp5 = d[c + 16] - d[c + 40];
            int tmp3 = d[c + 24] + d[c + 32];
            int tmp4 = d[c + 24] - d[c + 32];
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            d[c] = descale(tmp10 + tmp11, PASS1_BITS);
            d[c + 32] = descale(tmp10 - tmp11, PASS1_BITS);
            int z1 = (tmp12 + tmp13) * FIX_0_541196100;
            d[c + 16] = descale(z1 + tmp13 * FIX_0_765366865, CONST_BITS + PASS1_BITS);
            d[c + 48] = descale(z1 - tmp12 * FIX_1_847759065, CONST_BITS + PASS1_BITS);
            odd(d, c, 8, tmp4, tmp5, tmp6, tmp7, CONST_BITS + PASS1_BITS);
        }
    }

    /** The odd part of one row or column (outputs 1, 3, 5, 7 at {@code o + k * step}). */
    private static void odd(int[] d, int o, int step, int tmp4, int tmp5, int tmp6, int tmp7, int shift) {
        int z1 = tmp4 + tmp7;
        int z2 = tmp5 + tmp6;
        int z3 = tmp4 + tmp6;
        int z4 = tmp5 + tmp7;
        int z5 = (z3 + z4) * FIX_1_175875602;
        tmp4 *= FIX_0_298631336;
        tmp5 *= FIX_2_053119869;
        tmp6 *= FIX_3_072711026;
        tmp7 *= FIX_1_501321110;
        z1 *= -FIX_0_899976223;
        z2 *= -FIX_2_562915447;
        z3 = z3 * -FIX_1_961570560 + z5;
        z4 = z4 * -FIX_0_390180644 + z5;
        d[o + 7 * step] = descale(tmp4 + z1 + z3, shift);
        d[o + 5 * step] = descale(tmp5 + z2 + z4, shift);
        d[o + 3 * step] = descale(tmp6 + z2 + z3, shift);
        d[o + step] = descale(tmp7 + z1 + z4, shift);
    }

    private static int descale(int x, int n) {
        return (x + (1 << (n - 1))) >> n;
    }

    /**
     * jcdctmgr.c's rounded division of the magnitude by {@code divisor} (the table entry times 8),
     * as a multiply without branches: with recip = 2^40 / divisor + 1 the quotient is exact while
     * magnitude times divisor stays under 2^40 (here under 2^17 times 2^11), and a magnitude under
     * the divisor gives 0, as libjpeg's test does.
     */
    private static int quantize(int v, int divisor, long recip) {
        int sign = v >> 31;
        int a = ((v ^ sign) - sign) + (divisor >> 1);
        int qv = (int) ((a * recip) >>> 40);
        return (qv ^ sign) - sign;
    }

    /** jchuff.c's encode_one_block; returns the block's DC value for the next difference. */
    private static int encode(int[] block, int[] divisor, long[] recip, int lastDc, EntropyBits bits, int[] zz) {
        long nonzero = 0;
        for (int k = 1; k < 64; k++) { // quantised in zig-zag order, with a bit per non-zero coefficient
            int z = NATURAL[k];
            int v = quantize(block[z], divisor[z], recip[z]);
            zz[k] = v;
            nonzero |= (long) ((v | -v) >>> 31) << k;
        }
        int dc = quantize(block[0], divisor[0], recip[0]);
        bits.block(dc - lastDc, zz, nonzero);
        return dc;
    }

    /** SOI, JFIF APP0 (as the JDK writes it: 1.02, no density unit, 1:1), DQT, SOF0, DHT x2, SOS; table and size left 0. */
    private static final byte[] HEADER = headerTemplate();
    private static final int DQT_AT = 20 + 5;
    private static final int SOF_SIZE_AT = DQT_AT + 64 + 5;

    private static byte[] headerTemplate() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(1024);
        o.writeBytes(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 0, 0, 1, 0, 1, 0, 0));
        o.writeBytes(bytes(0xFF, 0xDB, 0, 67, 0));
        o.writeBytes(new byte[64]);
        o.writeBytes(bytes(0xFF, 0xC0, 0, 11, 8, 0, 0, 0, 0, 1, 1, 0x11, 0));
        dht(o, 0x00, DC_BITS, DC_VALUES);
        dht(o, 0x10, AC_BITS, AC_VALUES);
        o.writeBytes(bytes(0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0));
        return o.toByteArray();
    }

    /** The header of one image: a copy of the template with its table (zig-zag order) and size (made once per image, not per marker). */
    private static byte[] header(int w, int h, int[] q) {
        byte[] b = HEADER.clone();
        for (int k = 0; k < 64; k++) {
            b[DQT_AT + k] = (byte) q[NATURAL[k]];
        }
        b[SOF_SIZE_AT] = (byte) (h >> 8);
        b[SOF_SIZE_AT + 1] = (byte) h;
        b[SOF_SIZE_AT + 2] = (byte) (w >> 8);
        b[SOF_SIZE_AT + 3] = (byte) w;
        return b;
    }

    private static void dht(ByteArrayOutputStream o, int classAndId, byte[] counts, byte[] values) {
        int len = 2 + 1 + 16 + values.length;
        o.writeBytes(bytes(0xFF, 0xC4, len >> 8, len & 0xFF, classAndId));
        o.writeBytes(counts);
        o.writeBytes(values);
    }

    private static void codes(byte[] counts, byte[] values, int[] code, int[] size) {
        int c = 0;
        int k = 0;
        for (int l = 1; l <= 16; l++) {
            for (int m = 0; m < counts[l - 1]; m++, k++) {
                code[values[k] & 0xFF] = c++;
                size[values[k] & 0xFF] = l;
            }
            c <<= 1;
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
