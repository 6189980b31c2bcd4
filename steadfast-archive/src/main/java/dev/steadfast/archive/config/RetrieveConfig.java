package dev.steadfast.archive.config;

/**
 * How retrieval checks stored bytes against the SHA-256 recorded when they were acknowledged.
 *
 * @param verify           the policy (default {@link Verify#FIRST_READ})
 * @param rememberedCopies how many verified objects {@link Verify#FIRST_READ} remembers (about 100
 *                         bytes each); past it, the oldest are verified in full again on their next read
 */
public record RetrieveConfig(Verify verify, int rememberedCopies) {
    public static final RetrieveConfig DEFAULT = new RetrieveConfig(Verify.FIRST_READ, 200_000);

    public RetrieveConfig {
        if (verify == null) {
            throw new IllegalArgumentException("verify policy is required");
        }
        if (rememberedCopies < 0) {
            throw new IllegalArgumentException("rememberedCopies must be >= 0");
        }
    }

    /** What every read of a stored object checks before its last byte counts as delivered. */
    public enum Verify {
        /** SHA-256 over every read: the full check, about 1.5 GB/s per core. */
        ALWAYS,
        /**
         * SHA-256 on the first read of an object in this process; later reads check a CRC32C
         * (several times cheaper) taken from that verified read. Any accidental change of the
         * bytes since (bit rot, a torn or misdirected write) still fails the read.
         */
        FIRST_READ,
        /** No check on read: for storage that checks its own blocks; scrub still runs. */
        NEVER;

        /** {@code always}, {@code first-read}, {@code never}. */
        public static Verify parse(String s) {
            return switch (s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "always" -> ALWAYS;
                case "first-read" -> FIRST_READ;
                case "never" -> NEVER;
                default -> throw new IllegalArgumentException("must be always, first-read or never: '" + s + "'");
            };
        }
    }
}
