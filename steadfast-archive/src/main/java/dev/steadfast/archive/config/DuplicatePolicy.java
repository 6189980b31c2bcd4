package dev.steadfast.archive.config;

/** What to do when an instance arrives again with bytes different from the stored ones. */
public enum DuplicatePolicy {
    /** Store the new bytes in place of the old ones and record the replacement (the default). */
    REPLACE,
    /** Keep what was stored first; the sender still gets success (with a warning). */
    KEEP_FIRST,
    /** Refuse the new bytes. */
    REJECT
}
