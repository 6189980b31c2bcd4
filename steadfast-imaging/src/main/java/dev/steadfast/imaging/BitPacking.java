package dev.steadfast.imaging;

import java.io.IOException;

/** 1-bit frames are concatenated bit by bit in native multi-frame pixel data (PS3.5 8.1.1). */
final class BitPacking {
    private BitPacking() {}

    static byte[] concat(PixelData pixels, ImageDescriptor d, int frames) throws IOException {
        long bitsPerFrame = (long) d.pixels() * d.samplesPerPixel();
        long totalBits = bitsPerFrame * frames;
        byte[] out = new byte[(int) ((totalBits + 15) / 16 * 2)];
        long bit = 0;
        for (int f = 0; f < frames; f++) {
            byte[] frame = pixels.decodedFrame(f);
            for (long i = 0; i < bitsPerFrame; i++, bit++) {
                if (((frame[(int) (i >>> 3)] >>> (i & 7)) & 1) != 0) {
                    out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }
        return out;
    }
}
