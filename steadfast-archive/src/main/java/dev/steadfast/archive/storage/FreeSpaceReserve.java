package dev.steadfast.archive.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The space a storage folder keeps free: a write is refused (out of resources) before it starts when the
 * folder's filesystem has less usable space than the reserve. None with a reserve of 0.
 */
final class FreeSpaceReserve {
    private final Path root;
    private final long minFreeBytes;
    private volatile FileStore rootStore;

    FreeSpaceReserve(Path root, long minFreeBytes) {
        this.root = root;
        this.minFreeBytes = minFreeBytes;
    }

    /** @throws StorageOutOfResourcesException when less than the reserve is free */
    void check() throws IOException {
        if (minFreeBytes <= 0) {
            return;
        }
        FileStore store = rootStore;
        if (store == null) {
            Path existing = root;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return;
            }
            store = Files.getFileStore(existing);
            if (existing.equals(root)) {
                // Finding the store reads the mount table; its free space is asked afresh (statvfs) below.
                rootStore = store;
            }
        }
        long usable = store.getUsableSpace();
        if (usable < minFreeBytes) {
            throw new StorageOutOfResourcesException("storage " + root + " has " + usable
                    + " bytes free, below its reserve of " + minFreeBytes);
        }
    }
}
