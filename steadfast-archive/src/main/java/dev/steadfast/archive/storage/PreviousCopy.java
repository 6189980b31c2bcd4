package dev.steadfast.archive.storage;

import java.io.IOException;

/**
 * The previous object at a key, kept aside durably before an in-place replacement (duplicate policy
 * {@code replace}), so that a replacement the index never recorded can be undone: after an index failure at
 * once ({@link #restore()}), after a crash at the next start ({@code ReplacementRecovery}). Kept under a hidden
 * name that listing, scrub and reindex never see. Dropped ({@link #discard()}) once the new version is
 * recorded.
 */
public interface PreviousCopy {
    StorageKey key();

    /** SHA-256 (lowercase hex) of the kept bytes; null when the target keeps none and the copy cannot be read. */
    String sha256() throws IOException;

    /** Puts the kept bytes back under {@link #key()} (atomically, durably) and drops the copy. */
    void restore() throws IOException;

    /** Drops the copy; the object under {@link #key()} stays as it is. */
    void discard() throws IOException;

    /** Kept when there was nothing to keep (no object at the key): both steps do nothing. */
    PreviousCopy NONE = new PreviousCopy() {
        @Override public StorageKey key() { return null; }

        @Override public String sha256() { return null; }

        @Override public void restore() { }

        @Override public void discard() { }
    };
}
