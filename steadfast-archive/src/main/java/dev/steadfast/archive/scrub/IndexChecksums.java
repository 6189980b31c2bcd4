package dev.steadfast.archive.scrub;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.reindex.Unverified;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The index as the authority on checksums and on deletions: the SHA-256 acknowledged for the instance stored
 * under a key. Keys end in {@code <SOP Instance UID>.dcm}; hashed keys (non-conformant UIDs)
 * fall back to the checksums recorded beside the copies. A key is a deleted study's leftover when
 * its study was deleted (a tombstone in {@code study_deletion}), the index has no instance under
 * it, and it was written before that deletion (a newer copy is a re-send, maybe not indexed yet).
 */
public final class IndexChecksums implements Scrubber.Expected, Scrubber.Deleted {
    private static final long TOMBSTONES_REFRESH_NANOS = 60_000_000_000L;

    private final Index index;
    /** Tombstones as last read, for when the index cannot be reached; null until read once. */
    private volatile Map<String, Long> tombstones;
    private volatile long tombstonesReadAt;

    public IndexChecksums(Index index) {
        this.index = index;
    }

    @Override
    public Optional<String> sha256(StorageKey key) {
        String path = key.path();
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (!last.endsWith(".dcm") || last.startsWith("h-")) {
            return Optional.empty();
        }
        String sop = last.substring(0, last.length() - 4);
        Optional<StoredInstance> row = index.read(tx -> tx.instances().find(sop));
        return row.filter(r -> r.record().storageKey().equals(path)).map(r -> r.record().sha256());
    }

    /** Ends the pending state a header-only reindex left (see {@link Unverified}). */
    @Override
    public void verified(StorageKey key, Storage copy) throws IOException {
        Unverified.verify(index, key, copy);
    }

    @Override
    public boolean deleted(StorageKey key, long lastModifiedMillis) {
        String path = key.path();
        int slash = path.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String prefix = path.substring(0, slash + 1);
        try {
            // Read live: a deletion in progress on any node must be seen at once, or a pass
            // running beside it would copy a just-deleted copy back from a target not yet done.
            return index.read(tx -> {
                refreshTombstones(tx);
                long deletedAt = tx.deletions().deletedAt(prefix);
                if (deletedAt < 0) {
                    // IOCM (issue 18): rejected for retention expiry, its files go wherever a copy is left
                    return dev.steadfast.archive.iocm.Rejections.filesExpired(tx, path);
                }
                if (tx.deletions().indexed(path)) {
                    return false;
                }
                return lastModifiedMillis < 0 || lastModifiedMillis <= deletedAt;
            });
        } catch (RuntimeException e) {
            // The index is unreachable: repair goes on with the tombstones last seen, so an outage
            // neither stops repair nor lets it restore a deleted study.
            Map<String, Long> known = tombstones;
            if (known == null) {
                throw e;
            }
            Long deletedAt = known.get(prefix);
            return deletedAt != null && (lastModifiedMillis < 0 || lastModifiedMillis <= deletedAt);
        }
    }

    private void refreshTombstones(Tx tx) throws SQLException {
        long now = System.nanoTime();
        if (tombstones == null || now - tombstonesReadAt > TOMBSTONES_REFRESH_NANOS) {
            tombstones = Map.copyOf(tx.deletions().tombstones());
            tombstonesReadAt = now;
        }
    }
}
