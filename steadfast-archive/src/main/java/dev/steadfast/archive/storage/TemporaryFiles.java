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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hidden temporary files of a {@link FileSystemStorage}, and who may remove them. Several
 * processes may write into one folder (nodes of a cluster on a shared filesystem, {@code import}
 * beside {@code serve}), so a starting node must never remove another writer's file in progress.
 * <p>
 * A writer that {@linkplain #claim claims} the folder gets a random owner id, holds an OS lock on
 * {@code .owners/.<id>.lock} while it runs, and puts the id in its temporary names. The lock goes
 * with the process (also on {@code kill -9}), so a sweep removes a temporary file whose owner's lock
 * it can take (the owner is gone: a crash leftover) and keeps one whose owner still holds it (unless
 * untouched for {@link #UNOWNED_MAX_AGE}, for filesystems where locks cannot be told). A
 * temporary file without an owner id (an unclaimed writer such as {@code import} or {@code verify},
 * an older version, a health probe) is removed only once it has not been written for
 * {@link #UNOWNED_MAX_AGE}, longer than any store can stall (associations idle for
 * {@code dicom.idle-timeout-seconds} are aborted).
 */
public final class TemporaryFiles implements AutoCloseable {
    public static final String SUFFIX = ".tmp";
    /** An unowned temporary file untouched this long is a leftover. */
    public static final Duration UNOWNED_MAX_AGE = Duration.ofHours(24);
    static final String OWNERS = ".owners";
    private static final Pattern OWNED = Pattern.compile("\\.o-([0-9a-f]{16})\\.[0-9a-f-]{36}\\.tmp$");

    private final Path root;
    private final String owner;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private TemporaryFiles(Path root, String owner, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.owner = owner;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Temporary names without an owner: swept by age only. */
    static TemporaryFiles unowned(Path root) {
        return new TemporaryFiles(root, null, null, null);
    }

    /** A new owner id for this writer, its lock taken and held until {@link #close}. */
    public static TemporaryFiles claim(Path root) throws IOException {
        Path dir = root.resolve(OWNERS);
        Files.createDirectories(dir);
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        FileChannel ch = FileChannel.open(lockFile(dir, id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new IOException("cannot lock " + lockFile(dir, id));
            }
            return new TemporaryFiles(root, id, ch, l);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The owner id in this writer's temporary names, or null. */
    public String owner() { return owner; }

    /** A fresh hidden temporary name beside {@code target}. */
    Path nameFor(Path target) {
        String ownerPart = owner == null ? "" : ".o-" + owner;
        return target.resolveSibling("." + target.getFileName() + ownerPart + "." + UUID.randomUUID() + SUFFIX);
    }

    static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(SUFFIX);
    }

    /**
     * Removes temporary files whose owner is gone, and unowned ones not written for
     * {@link #UNOWNED_MAX_AGE}; keeps those of owners still running. Returns how many were removed.
     */
    public int sweep() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long oldest = System.currentTimeMillis() - UNOWNED_MAX_AGE.toMillis();
        Map<String, Boolean> alive = new HashMap<>();
        int removed = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(TemporaryFiles::isTemporary)::iterator) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                Matcher m = OWNED.matcher(p.getFileName().toString());
                boolean leftover = m.find()
                        ? !m.group(1).equals(owner) && (!alive.computeIfAbsent(m.group(1), this::ownerAlive)
                                || lastModified(p) < oldest) // also where locks cannot be told
                        : lastModified(p) < oldest;
                if (leftover && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        alive.forEach((id, running) -> {
            if (!running) {
                try {
                    Files.deleteIfExists(lockFile(root.resolve(OWNERS), id));
                } catch (IOException e) {
                    // the next sweep tries again
                }
            }
        });
        return removed;
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

    /** Whether the owner still holds its lock. When that cannot be told, it is taken as running. */
    private boolean ownerAlive(String id) {
        Path file = lockFile(root.resolve(OWNERS), id);
        if (!Files.exists(file)) {
            return false; // its owner removed the lock on a clean stop, or never had one here
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true; // another process holds it
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held in this JVM (another node in the same process)
        } catch (IOException e) {
            return true; // locks not supported here: the age rule alone would be unsafe for owned names
        }
    }

    private static Path lockFile(Path dir, String id) {
        return dir.resolve("." + id + ".lock");
    }

    /** Releases the owner lock and removes its file (a clean stop leaves nothing for others to sweep). */
    @Override
    public void close() throws IOException {
        if (lockChannel == null) {
            return;
        }
        try (lockChannel) {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            Files.deleteIfExists(lockFile(root.resolve(OWNERS), owner));
        }
    }
}
