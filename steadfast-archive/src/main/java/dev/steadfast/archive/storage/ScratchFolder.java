package dev.steadfast.archive.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A process-private folder for temporary files that are not instances (header spill files, verified
 * reads of large copies), under the data folder rather than {@code java.io.tmpdir}: a {@code kill -9}
 * leaves them behind, and a node must find and remove its own at the next start.
 *
 * <p>Each process gets {@code <parent>/<pid>-<random>/} and holds an OS lock on its {@code .lock}
 * file for as long as it runs. Several nodes may share the parent (a shared data folder), so a
 * starting node removes only the folders whose lock it can take: their process is gone, the lock went
 * with it (the same rule as the storage targets' temporary files, {@link TemporaryFiles}). Where the
 * filesystem has no locks, a folder is removed only once its lock file is older than
 * {@link TemporaryFiles#CANNOT_TELL_MAX_AGE}.
 */
public final class ScratchFolder implements AutoCloseable {
    private static final String LOCK = ".lock";

    private final Path folder;
    private final FileChannel channel;

    private ScratchFolder(Path folder, FileChannel channel) {
        this.folder = folder;
        this.channel = channel;
    }

    /** Removes the folders under {@code parent} whose process is gone, then creates and locks this process's own. */
    public static ScratchFolder open(Path parent) throws IOException {
        Files.createDirectories(parent);
        sweep(parent);
        Path folder = parent.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(folder);
        FileChannel ch = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            TemporaryFiles.lock(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new ScratchFolder(folder, ch);
    }

    /** Removes the sub-folders of {@code parent} left by processes that are gone; returns how many. */
    public static int sweep(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path f : folders) {
                if (abandoned(f)) {
                    deleteTree(f);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean abandoned(Path folder) throws IOException {
        Path lock = folder.resolve(LOCK);
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // another node in this JVM
            } catch (IOException e) {
                return Files.getLastModifiedTime(lock).toMillis()
                        < System.currentTimeMillis() - TemporaryFiles.CANNOT_TELL_MAX_AGE.toMillis();
            }
            if (l == null) {
                return false; // its process runs
            }
            l.release();
            return true;
        } catch (NoSuchFileException e) {
            // A process between creating its folder and its lock file, or one killed right then: the age decides.
            return Files.getLastModifiedTime(folder).toMillis()
                    < System.currentTimeMillis() - TemporaryFiles.CANNOT_TELL_MAX_AGE.toMillis();
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // removed meanwhile
        }
    }

    /** This process's folder. */
    public Path path() {
        return folder;
    }

    /** Releases the lock and removes the folder with whatever is still in it. */
    @Override
    public void close() throws IOException {
        channel.close();
        deleteTree(folder);
    }
}
