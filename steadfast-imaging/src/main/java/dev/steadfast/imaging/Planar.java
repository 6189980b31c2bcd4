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
}
