package dev.steadfast.imaging.rle;

import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelDataException;

/**
 * RLE Lossless decoding (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane, most significant byte first. Output is bounded by the image size,
 * so a hostile segment cannot expand without limit.
 */
public final class RleDecoder {
    private RleDecoder() {}

    public static byte[] decode(byte[] data, ImageDescriptor image) {
        if (data.length < 64) {
            throw new PixelDataException("RLE frame shorter than its 64-byte header");
        }
        int segments = (int) u32(data, 0);
        int spp = image.samplesPerPixel();
        int bps = image.bytesPerSample();
        int pixels = image.pixels();
        if (image.bitsAllocated() == 1) {
            // 1-bit (SEG): one segment of bit-packed bytes, as pydicom and highdicom write it.
            pixels = image.frameLength();
            bps = 1;
        }
        if (segments != spp * bps) {
            throw new PixelDataException("RLE header has " + segments + " segments, expected " + spp * bps);
        }
        byte[] out = new byte[pixels * spp * bps];
        for (int s = 0; s < segments; s++) {
            long start = u32(data, 4 + 4 * s);
            long end = s + 1 < segments ? u32(data, 8 + 4 * s) : data.length;
            if (start < 64 || start > end || end > data.length) {
                throw new PixelDataException("RLE segment " + s + " offsets out of range: " + start + ".." + end);
            }
            int sample = s / bps;
            int byteInSample = bps - 1 - s % bps; // MSB segment first; output little endian
            int pos = sample * bps + byteInSample;
            int stride = spp * bps;
            unpack(data, (int) start, (int) end, out, pos, stride, pixels);
        }
        return out;
    }

    /** PackBits into every {@code stride}-th byte of out from {@code pos}, at most {@code count} bytes. */
    private static void unpack(byte[] in, int i, int end, byte[] out, int pos, int stride, int count) {
        int n = 0;
        while (i < end && n < count) {
            int h = in[i++];
            if (h >= 0) {
                int len = Math.min(h + 1, Math.min(end - i, count - n));
                for (int k = 0; k < len; k++, n++) {
                    out[pos + n * stride] = in[i + k];
                }
                i += h + 1;
            } else if (h != -128) {
                if (i >= end) {
                    break;
                }
                byte v = in[i++];
                int len = Math.min(1 - h, count - n);
                for (int k = 0; k < len; k++, n++) {
                    out[pos + n * stride] = v;
                }
            }
        }
        if (n < count) {
            throw new PixelDataException("RLE segment ends after " + n + " of " + count + " bytes");
        }
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
