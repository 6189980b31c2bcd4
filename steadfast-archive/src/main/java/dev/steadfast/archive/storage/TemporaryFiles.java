package dev.steadfast.archive.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The hidden temporary files of a {@link FileSystemStorage}, and when one may be removed. Several
 * processes may write into one folder (nodes of a cluster on a shared filesystem, {@code import} or
 * {@code verify} beside {@code serve}), so a starting node must never remove another writer's file
 * in progress (issue 15).
 * <p>
 * A writer holds an OS lock on its temporary file from creation until it is committed or discarded.
 * The lock goes with the process (also on {@code kill -9}), so a sweep removes a temporary file whose
 * lock it can take (its writer is gone: a crash leftover) and keeps one whose lock is held. A sweep
 * may catch a file between its creation and its locking: the writer sees it gone once it holds the
 * lock and starts again under a new name. Where locks cannot be taken at all (some network
 * filesystems), a file is removed only once untouched for {@link #CANNOT_TELL_MAX_AGE}, longer than
 * any store can stall.
 */
final class TemporaryFiles {
    static final String SUFFIX = ".tmp";
    /** Where locks cannot be told, a temporary file untouched this long is a leftover. */
    static final Duration CANNOT_TELL_MAX_AGE = Duration.ofHours(24);
    private static final int LOCK_ATTEMPTS = 1000;

    private TemporaryFiles() {
    }

    /** A temporary file and its channel, holding the file's lock (where the filesystem has locks). */
    record Created(Path path, FileChannel channel) {}

    /** A new temporary file for {@code target}, created and locked. */
    static Created create(Path target) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Path temp = nameFor(target);
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                if (lock(ch) == null || Files.exists(temp)) {
                    return new Created(temp, ch);
                }
            } catch (IOException | RuntimeException e) {
                ch.close();
                Files.deleteIfExists(temp);
                throw e;
            }
            ch.close(); // a starting node swept it before we held its lock: a new name
        }
        throw new IOException("new temporary files keep disappearing in " + target.getParent());
    }

    /** A fresh hidden temporary name beside {@code target}. */
    static Path nameFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + SUFFIX);
    }

    static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(SUFFIX);
    }

    /**
     * Locks a temporary file just created, for as long as its channel stays open; null where the
     * filesystem has no locks (then only the age rule protects it). A sweep in this process may hold
     * the lock for a moment while it looks: wait for it.
     */
    static FileLock lock(FileChannel ch) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                if (attempt >= LOCK_ATTEMPTS) {
                    throw new IOException("cannot lock a new temporary file", e);
                }
                Thread.onSpinWait();
                Thread.yield();
            } catch (IOException e) {
                return null; // no locks here
            }
        }
    }

    /**
     * Removes the temporary files under {@code root} whose writer is gone; keeps those still locked.
     * Returns how many were removed.
     */
    static int sweep(Path root) throws IOException {
        return sweep(root, p -> { });
    }

    /**
     * As {@link #sweep(Path)}, and hands {@code kept} every previous copy a replacement kept aside
     * ({@link FilePreviousCopies}) that the same walk passes: the start looks at the tree once (issue 14).
     */
    static int sweep(Path root, java.util.function.Consumer<Path> kept) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long now = System.currentTimeMillis();
        int removed = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> {
                if (FilePreviousCopies.isKept(f)) {
                    kept.accept(f);
                    return false;
                }
                return isTemporary(f);
            })::iterator) {
                long modified = lastModified(p);
                if (modified == Long.MAX_VALUE || !Files.isRegularFile(p)) {
                    continue;
                }
                if (removeIfAbandoned(p, modified < now - CANNOT_TELL_MAX_AGE.toMillis())) {
                    removed++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return removed;
    }

    /** Deletes {@code p} while holding its lock, when no writer holds it. */
    private static boolean removeIfAbandoned(Path p, boolean oldEnoughWithoutLocks) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // a writer in this process (another node in the same JVM) holds it
            } catch (IOException e) {
                return oldEnoughWithoutLocks && Files.deleteIfExists(p); // no locks: the age rule alone
            }
            if (lock == null) {
                return false; // another process is writing it
            }
            return Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            return false; // committed or discarded meanwhile
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (NoSuchFileException e) {
            return Long.MAX_VALUE; // gone meanwhile: nothing to do
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
