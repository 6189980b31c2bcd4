package dev.steadfast.imaging.jpegls;

/** Coding parameters of one JPEG-LS scan (ITU-T T.87 A.2, C.2.4.1.1). */
record JlsParameters(int maxVal, int near, int t1, int t2, int t3, int reset, int range, int qbpp, int limit) {

    static JlsParameters of(int bitsPerSample, int maxVal, int near, int t1, int t2, int t3, int reset) {
        if (maxVal <= 0) {
            maxVal = (1 << bitsPerSample) - 1;
        }
        int[] def = defaultThresholds(maxVal, near);
        t1 = t1 > 0 ? t1 : def[0];
        t2 = t2 > 0 ? t2 : def[1];
        t3 = t3 > 0 ? t3 : def[2];
        reset = reset > 0 ? reset : 64;
        int range = (maxVal + 2 * near) / (2 * near + 1) + 1;
        int qbpp = log2ceil(range);
        int bpp = Math.max(2, log2ceil(maxVal + 1));
        int limit = 2 * (bpp + Math.max(8, bpp));
        return new JlsParameters(maxVal, near, t1, t2, t3, reset, range, qbpp, limit);
    }

    static int[] defaultThresholds(int maxVal, int near) {
        if (maxVal >= 128) {
            int f = (Math.min(maxVal, 4095) + 128) / 256;
            int t1 = clamp(f * (3 - 2) + 2 + 3 * near, near + 1, maxVal);
            int t2 = clamp(f * (7 - 3) + 3 + 5 * near, t1, maxVal);
            int t3 = clamp(f * (21 - 4) + 4 + 7 * near, t2, maxVal);
            return new int[] {t1, t2, t3};
        }
        int f = 256 / (maxVal + 1);
        int t1 = clamp(Math.max(2, 3 / f + 3 * near), near + 1, maxVal);
        int t2 = clamp(Math.max(3, 7 / f + 5 * near), t1, maxVal);
        int t3 = clamp(Math.max(4, 21 / f + 7 * near), t2, maxVal);
        return new int[] {t1, t2, t3};
    }

    /** T.87's CLAMP: values outside [lo, hi] become lo. */
    private static int clamp(int v, int lo, int hi) {
        return v > hi || v < lo ? lo : v;
    }

    private static int log2ceil(int n) {
        int x = 0;
        while ((1 << x) < n) {
            x++;
        }
        return x;
    }

    int quantizeGradient(int d) {
        if (d <= -t3) return -4;
        if (d <= -t2) return -3;
        if (d <= -t1) return -2;
        if (d < -near) return -1;
        if (d <= near) return 0;
        if (d < t1) return 1;
        if (d < t2) return 2;
        if (d < t3) return 3;
        return 4;
    }

    /** Quantised, modulo-reduced prediction error (encoder side, A.4.4 and A.4.5). */
    int errorValue(int e) {
        if (near > 0) {
            e = e > 0 ? (e + near) / (2 * near + 1) : -(near - e) / (2 * near + 1);
        }
        if (e < 0) {
            e += range;
        }
        if (e >= (range + 1) / 2) {
            e -= range;
        }
        return e;
    }

    /** Reconstructed sample from prediction and error (A.4.6 / A.8), wrapped and clamped. */
    int reconstruct(int px, int errval) {
        int v = px + errval * (2 * near + 1);
        if (v < -near) {
            v += range * (2 * near + 1);
        } else if (v > maxVal + near) {
            v -= range * (2 * near + 1);
        }
        return v < 0 ? 0 : Math.min(v, maxVal);
    }
}
