package dev.steadfast.imaging.render;

import dev.steadfast.imaging.ImageDescriptor;

/**
 * One-sample integer frames of 8 or 16 bits read straight from their stored bytes, for the grey
 * table path (issue 19): the value range in one pass and the 8-bit output in another, with no int
 * array of samples in between (it was a 1 MiB array and three passes per 512x512 CT frame). Each
 * sample is the one {@code Samples.read} gives: the Bits Stored below High Bit, sign-extended when
 * signed.
 */
final class StoredGrey {
    private final byte[] frame;
    private final int n;
    private final boolean wide;
    /** The sample is (raw << left) >> right (>>> when unsigned): High Bit to bit 31, then down to Bits Stored. */
    private final int left;
    private final int right;
    private final boolean signed;

    private StoredGrey(byte[] frame, ImageDescriptor d) {
        this.frame = frame;
        this.n = d.pixels();
        this.wide = d.bitsAllocated() == 16;
        this.left = 31 - d.highBit();
        this.right = 32 - d.bitsStored();
        this.signed = d.signed();
    }

    /** This reader for the frame, or null when it is not a one-sample 8/16-bit frame with a consistent descriptor. */
    static StoredGrey of(byte[] frame, ImageDescriptor d) {
        int alloc = d.bitsAllocated();
        int bits = d.bitsStored();
        boolean fits = d.samplesPerPixel() == 1 && (alloc == 8 || alloc == 16) && bits >= 1 && bits <= alloc
                && d.highBit() < alloc && d.highBit() + 1 >= bits && d.pixels() > 0
                && (long) d.pixels() * (alloc / 8) <= frame.length;
        return fits ? new StoredGrey(frame, d) : null;
    }

    /** The smallest sample in the high half, the largest in the low half. */
    long range() {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        int l = left;
        int r = right;
        // Branch-free loops over a bulk copy of the 16-bit values, which the JIT vectorises
        // (a min/max over bytes assembled two at a time it does not, and that was slower than before).
        if (wide) {
            short[] s = words();
            if (signed) {
                for (int i = 0; i < n; i++) {
                    int v = ((s[i] & 0xFFFF) << l) >> r;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int v = ((s[i] & 0xFFFF) << l) >>> r;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int v = sample(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return (long) min << 32 | (max & 0xFFFFFFFFL);
    }

    private short[] words;

    private short[] words() {
        if (words == null) {
            words = new short[n];
            java.nio.ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(words);
        }
        return words;
    }

    private int sample(int i) {
        int raw = wide ? (frame[2 * i] & 0xFF) | (frame[2 * i + 1] & 0xFF) << 8 : frame[i] & 0xFF;
        int v = raw << left;
        return signed ? v >> right : v >>> right;
    }

    /** Which of the values min .. min + length - 1 occur (with a Modality LUT only: not the common path). */
    boolean[] present(int min, int length) {
        boolean[] p = new boolean[length];
        for (int i = 0; i < n; i++) {
            p[sample(i) - min] = true;
        }
        return p;
    }

    /** out[i] = table[sample i - min], for every pixel. */
    void map(byte[] table, int min, byte[] out) {
        int l = left;
        int r = right;
        if (wide) {
            short[] s = words();
            if (signed) {
                for (int i = 0; i < n; i++) {
                    out[i] = table[(((s[i] & 0xFFFF) << l) >> r) - min];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = table[(((s[i] & 0xFFFF) << l) >>> r) - min];
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = table[sample(i) - min];
            }
        }
    }
}
