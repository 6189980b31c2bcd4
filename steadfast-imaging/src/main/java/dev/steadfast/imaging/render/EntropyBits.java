package dev.steadfast.imaging.render;

import static dev.steadfast.imaging.render.GreyJpegEncoder.AC_CODE;
import static dev.steadfast.imaging.render.GreyJpegEncoder.AC_SIZE;
import static dev.steadfast.imaging.render.GreyJpegEncoder.DC_CODE;
import static dev.steadfast.imaging.render.GreyJpegEncoder.DC_SIZE;

/**
 * The entropy-coded segment of {@link GreyJpegEncoder} (standard Huffman tables): bits most
 * significant first, a 0 stuffed after every 0xFF byte. A block is coded with the bit buffer in local variables and written out 32 bits at a time.
 */
final class EntropyBits {
    /** More than a block can take: 64 codes of at most 27 bits, every byte stuffed, plus what is pending. */
    private static final int BLOCK_ROOM = 512;
    private byte[] buf;
    private int len;
    private long acc;
    private int count;

    EntropyBits(int capacity) {
        buf = new byte[Math.max(capacity, 2 * BLOCK_ROOM)];
    }

    /** The DC difference, then each non-zero AC coefficient (bit k of {@code nonzero} for zz[k]) with its zero run, then EOB. */
    void block(int dcDiff, int[] zz, long nonzero) {
        if (len + BLOCK_ROOM > buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        long acc = this.acc;
        int count = this.count;
        int t = dcDiff;
        int t2 = t;
        if (t < 0) {
            t = -t;
            t2--;
        }
        int n = 32 - Integer.numberOfLeadingZeros(t);
        acc = (acc << (DC_SIZE[n] + n)) | ((long) DC_CODE[n] << n) | (t2 & ((1 << n) - 1));
        count += DC_SIZE[n] + n;
        if (count >= 32) { // below 32 after every step, so that a step of at most 27 bits fits in the 64
            count -= 32;
            word((int) (acc >>> count));
        }
        int last = 0;
        while (nonzero != 0) {
            int k = Long.numberOfTrailingZeros(nonzero);
            nonzero &= nonzero - 1;
            int run = k - last - 1;
            last = k;
            while (run > 15) {
                acc = (acc << AC_SIZE[0xF0]) | AC_CODE[0xF0];
                count += AC_SIZE[0xF0];
                run -= 16;
                if (count >= 32) {
                    count -= 32;
                    word((int) (acc >>> count));
                }
            }
            int v = zz[k];
            int v2 = v;
            if (v < 0) {
                v = -v;
                v2--;
            }
            int nb = 32 - Integer.numberOfLeadingZeros(v);
            int sym = (run << 4) + nb;
            acc = (acc << (AC_SIZE[sym] + nb)) | ((long) AC_CODE[sym] << nb) | (v2 & ((1 << nb) - 1));
            count += AC_SIZE[sym] + nb;
            if (count >= 32) {
                count -= 32;
                word((int) (acc >>> count));
            }
        }
        if (last < 63) {
            acc = (acc << AC_SIZE[0]) | AC_CODE[0];
            count += AC_SIZE[0];
        }
        if (count >= 32) {
            count -= 32;
            word((int) (acc >>> count));
        }
        this.acc = acc;
        this.count = count;
    }

    /** Four bytes, stuffing any 0xFF among them (rare: only then byte by byte). */
    private void word(int w) {
        int x = ~w; // a 0xFF byte of w is a zero byte of x
        if (((x - 0x01010101) & ~x & 0x80808080) == 0) {
            buf[len] = (byte) (w >>> 24);
            buf[len + 1] = (byte) (w >>> 16);
            buf[len + 2] = (byte) (w >>> 8);
            buf[len + 3] = (byte) w;
            len += 4;
            return;
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            byte b = (byte) (w >>> shift);
            buf[len++] = b;
            if (b == (byte) 0xFF) {
                buf[len++] = 0;
            }
        }
    }

    void writeTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(buf, 0, len);
    }

    /** The bits left, padded with 1 bits to a whole byte (jchuff.c's flush_bits). */
    void flush() {
        int pad = (8 - count % 8) % 8;
        acc = (acc << pad) | ((1L << pad) - 1);
        count += pad;
        while (count >= 8) {
            count -= 8;
            byte b = (byte) (acc >>> count);
            buf[len++] = b;
            if (b == (byte) 0xFF) {
                buf[len++] = 0;
            }
        }
        acc = 0;
    }
}
