package dev.steadfast.archive.scrub;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;

import java.util.Optional;

/**
 * The index as the authority on checksums: the SHA-256 acknowledged for the instance stored
 * under a key. Keys end in {@code <SOP Instance UID>.dcm}; hashed keys (non-conformant UIDs)
 * fall back to the checksums recorded beside the copies.
 */
public final class IndexChecksums implements Scrubber.Expected {
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
}
