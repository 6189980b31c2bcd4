package dev.steadfast.archive.config;

/**
 * What to do when an instance arrives again with bytes different from the stored ones
 * (identical bytes always succeed and change nothing). Decided in one place, ingest's
 * {@code DuplicateDecision}; every case is logged with both digests.
 */
public enum DuplicatePolicy {
    /** Store the new bytes in place of the old ones; the replacement is recorded and logged. */
    REPLACE,
    /** Keep what was stored first; the sender gets a warning (B006, STOW-RS Warning Reason). */
    KEEP_FIRST,
    /**
     * Refuse the new bytes (0111, STOW-RS Failure Reason): the default. The sender keeps its
     * copy and shows a failed send, where a warning would let it count the instance as archived.
     */
    REJECT
}
