package dev.steadfast.bench.data;

/**
 * Deterministic mixing (SplitMix64's finaliser): every value of a generated data set is a pure
 * function of the seed and its position, so any study can be made without making the others.
 */
final class Mix {
    private Mix() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long of(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** A stream of values from one starting point (SplitMix64). */
    static final class Rng {
        private long state;

        Rng(long... parts) {
            state = of(parts);
        }

        long next() {
            state += 0x9E3779B97F4A7C15L;
            return mix(state);
        }

        /** Uniform in [0, bound). */
        int nextInt(int bound) {
            return (int) Math.floorMod(next(), (long) bound);
        }

        /** Uniform in [lo, hi]. */
        int between(int lo, int hi) {
            return lo + nextInt(hi - lo + 1);
        }

        double nextDouble() {
            return (next() >>> 11) * 0x1.0p-53;
        }
    }
}
