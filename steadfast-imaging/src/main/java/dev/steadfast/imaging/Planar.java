package dev.steadfast.imaging;

/** Conversions between planar configuration 1 (colour-by-plane) and 0 (colour-by-pixel). */
public final class Planar {
    private Planar() {}

    public static byte[] interleave(byte[] planes, ImageDescriptor d) {
        return reorder(planes, d, true);
    }

    public static byte[] separate(byte[] pixels, ImageDescriptor d) {
        return reorder(pixels, d, false);
    }

    private static byte[] reorder(byte[] in, ImageDescriptor d, boolean toInterleaved) {
        int n = d.pixels();
        int spp = d.samplesPerPixel();
        int bps = d.bytesPerSample();
        byte[] out = new byte[in.length];
        for (int s = 0; s < spp; s++) {
            for (int p = 0; p < n; p++) {
                int planar = (s * n + p) * bps;
                int inter = (p * spp + s) * bps;
                int from = toInterleaved ? planar : inter;
                int to = toInterleaved ? inter : planar;
                System.arraycopy(in, from, out, to, bps);
            }
        }
        return out;
    }

    /** Native YBR_FULL_422 (Y1 Y2 Cb Cr) to YBR_FULL (Y Cb Cr per pixel), 8-bit. */
    public static byte[] upsample422(byte[] in, ImageDescriptor d) {
        int n = d.pixels();
        byte[] out = new byte[n * 3];
        for (int p = 0, i = 0; p < n && i + 3 < in.length; p += 2, i += 4) {
            out[p * 3] = in[i];
            out[p * 3 + 1] = in[i + 2];
            out[p * 3 + 2] = in[i + 3];
            if (p + 1 < n) {
                out[p * 3 + 3] = in[i + 1];
                out[p * 3 + 4] = in[i + 2];
                out[p * 3 + 5] = in[i + 3];
            }
        }
        return out;
    }
}
