package dev.steadfast.archive.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary files of abandoned writes that could not be removed at the time: their folder had turned
 * read-only (a file system remounted read-only after an error, an immutable folder), so the failed write's
 * own removal failed too. Tried again after each later commit that succeeds, instead of staying until the
 * next start's sweep (issue 19: a failed store leaves no temporary file once the storage takes writes again).
 * Bounded; the sweep at start removes any beyond the bound.
 */
final class LeftoverTemporaryFiles {
    private static final Logger log = LoggerFactory.getLogger(FileSystemStorage.class);
    private static final int MAX = 1024;

    private final Set<Path> left = ConcurrentHashMap.newKeySet();

    /** Removes {@code temp} (its writer gave it up); when it cannot, remembers it and rethrows. */
    void remove(Path temp) throws IOException {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            if (left.size() < MAX) {
                left.add(temp);
            }
            log.warn("cannot remove the temporary file {} now; tried again after the next commit: {}", temp, e.toString());
            throw e;
        }
    }

    /** After a commit succeeded (the storage takes writes again): removes what could not be removed before. */
    void retry() {
        if (left.isEmpty()) {
            return;
        }
        for (Path p : left) {
            try {
                Files.deleteIfExists(p);
                left.remove(p);
            } catch (IOException e) {
                // its folder still refuses: the next commit tries again
            }
        }
    }
}
