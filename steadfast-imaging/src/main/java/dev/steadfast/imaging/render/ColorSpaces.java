package dev.steadfast.imaging.render;

/** Colour conversions of interleaved 8-bit samples (PS3.3 C.7.6.3.1.2), in place. */
public final class ColorSpaces {
    private ColorSpaces() {}

    /** YBR_FULL (and YBR_FULL_422 once upsampled) to RGB with the JFIF equations libjpeg uses. */
    public static void ybrFullToRgb(int[] s) {
        for (int i = 0; i + 2 < s.length; i += 3) {
            double y = s[i];
            double cb = s[i + 1] - 128;
            double cr = s[i + 2] - 128;
            s[i] = clamp(y + 1.402 * cr);
            s[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
            s[i + 2] = clamp(y + 1.772 * cb);
        }
    }

    /** YBR_PARTIAL_422/420 (studio range, ITU-R BT.601) to RGB. */
    public static void ybrPartialToRgb(int[] s) {
        for (int i = 0; i + 2 < s.length; i += 3) {
            double y = 1.1644 * (s[i] - 16);
            double cb = s[i + 1] - 128;
            double cr = s[i + 2] - 128;
            s[i] = clamp(y + 1.5960 * cr);
            s[i + 1] = clamp(y - 0.3918 * cb - 0.8130 * cr);
            s[i + 2] = clamp(y + 2.0172 * cb);
        }
    }

    /** RGB to YBR_FULL, the inverse of {@link #ybrFullToRgb}. */
    public static void rgbToYbrFull(int[] s) {
        for (int i = 0; i + 2 < s.length; i += 3) {
            double r = s[i];
            double g = s[i + 1];
            double b = s[i + 2];
            s[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
            s[i + 1] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
            s[i + 2] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
        }
    }

    static int clamp(double v) {
        long r = Math.round(v);
        return r < 0 ? 0 : r > 255 ? 255 : (int) r;
    }
}
