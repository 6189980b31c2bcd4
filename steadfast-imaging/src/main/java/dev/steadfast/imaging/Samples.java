package dev.steadfast.imaging;

/** Native little-endian frame bytes to and from int samples, masked to Bits Stored. */
public final class Samples {
    private Samples() {}

    /** Samples in storage order; signed data is sign-extended from Bits Stored, unsigned masked to it. */
    public static int[] read(byte[] frame, ImageDescriptor d) {
        int n = d.pixels() * d.samplesPerPixel();
        int[] out = new int[n];
        int bits = d.bitsStored();
        int shift = d.highBit() + 1 - bits;
        switch (d.bitsAllocated()) {
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (frame[i >>> 3] >>> (i & 7)) & 1;
                }
                return out;
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = frame[i] & 0xFF;
                }
            }
            case 16 -> {
                for (int i = 0, j = 0; i < n; i++, j += 2) {
                    out[i] = (frame[j] & 0xFF) | (frame[j + 1] & 0xFF) << 8;
                }
            }
            case 32 -> {
                for (int i = 0, j = 0; i < n; i++, j += 4) {
                    out[i] = (frame[j] & 0xFF) | (frame[j + 1] & 0xFF) << 8 | (frame[j + 2] & 0xFF) << 16 | frame[j + 3] << 24;
                }
            }
            default -> throw new PixelDataException("cannot read " + d.bitsAllocated() + "-bit samples as integers");
        }
        if (bits == 32 && shift == 0) {
            return out;
        }
        int mask = bits == 32 ? -1 : (1 << bits) - 1;
        for (int i = 0; i < n; i++) {
            int v = (out[i] >>> shift) & mask;
            if (d.signed()) {
                v = (v << (32 - bits)) >> (32 - bits);
            }
            out[i] = v;
        }
        return out;
    }

    /** Samples to native bytes; values are masked to Bits Stored and sign-extended over Bits Allocated when signed. */
    public static byte[] write(int[] samples, ImageDescriptor d) {
        byte[] out = new byte[d.frameLength()];
        int bits = d.bitsStored();
        int n = Math.min(samples.length, d.pixels() * d.samplesPerPixel());
        int bps = d.bytesPerSample();
        for (int i = 0; i < n; i++) {
            int v = samples[i];
            if (bits < 32) {
                v &= (1 << bits) - 1;
                if (d.signed()) {
                    v = (v << (32 - bits)) >> (32 - bits);
                }
            }
            int j = i * bps;
            out[j] = (byte) v;
            if (bps > 1) {
                out[j + 1] = (byte) (v >> 8);
            }
            if (bps > 2) {
                out[j + 2] = (byte) (v >> 16);
                out[j + 3] = (byte) (v >> 24);
            }
        }
        return out;
    }
}
