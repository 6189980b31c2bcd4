package dev.steadfast.archive.scrub;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;

import java.util.Optional;

/**
 * The index as the authority on checksums and on deletions: the SHA-256 acknowledged for the instance stored
 * under a key. Keys end in {@code <SOP Instance UID>.dcm}; hashed keys (non-conformant UIDs)
 * fall back to the checksums recorded beside the copies. A key is a deleted study's leftover when
 * its study was deleted (a tombstone in {@code study_deletion}), the index has no instance under
 * it, and it was written before that deletion (a newer copy is a re-send, maybe not indexed yet).
 */
public final class IndexChecksums implements Scrubber.Expected, Scrubber.Deleted {
    private final Index index;

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

    @Override
    public boolean deleted(StorageKey key, long lastModifiedMillis) {
        String path = key.path();
        int slash = path.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String prefix = path.substring(0, slash + 1);
        return index.read(tx -> {
            long deletedAt = tx.deletions().deletedAt(prefix);
            if (deletedAt < 0 || tx.deletions().indexed(path)) {
                return false;
            }
            return lastModifiedMillis < 0 || lastModifiedMillis <= deletedAt;
        });
    }
}
