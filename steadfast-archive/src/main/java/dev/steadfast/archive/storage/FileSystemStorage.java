package dev.steadfast.archive.storage;

import dev.steadfast.dicom.io.BoundedInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Objects as files under a root directory, with the durability contract of DESIGN.md: bytes
 * go to a hidden temporary file in the object's own directory; commit fsyncs it, renames it
 * atomically over the final name, and fsyncs the directory. A crash at any point leaves
 * either the old object or the new one, plus at most a hidden {@code .*.tmp} file that
 * {@link #sweepTemporaryFiles()} removes once its writer is gone: a writer holds an OS lock on its
 * temporary file until it commits or discards it ({@link TemporaryFiles}).
 */
public final class FileSystemStorage implements Storage {
    static final String TEMP_SUFFIX = TemporaryFiles.SUFFIX;
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final FreeSpaceReserve reserve;
    private final DirectorySync directorySync = new DirectorySync();
    private final LeftoverTemporaryFiles leftovers = new LeftoverTemporaryFiles();
    private final FilePreviousCopies previousCopies = new FilePreviousCopies(this);
    private volatile Boolean recordsChecksums;

    /**
     * @param root         directory holding the objects (created when missing)
     * @param minFreeBytes refuse writes when the file system has less usable space than this
     */
    public FileSystemStorage(Path root, long minFreeBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.reserve = new FreeSpaceReserve(this.root, minFreeBytes);
    }

    public FileSystemStorage(Path root) {
        this(root, 0);
    }

    public Path root() { return root; }

    /** The file of an object (whether or not it exists). */
    public Path pathOf(StorageKey key) {
        Path p = root.resolve(key.path()).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("storage key escapes the root: " + key);
        }
        return p;
    }

    @Override
    public Staged stage(StorageKey key, InputStream in) throws IOException {
        Path target = pathOf(key);
        Path dir = target.getParent();
        Path temp;
        FileChannel ch;
        try {
            reserve.check();
            // Locked until commit or discard: a node starting on a shared folder keeps what is locked.
            TemporaryFiles.Created created;
            try {
                created = TemporaryFiles.create(target);
            } catch (NoSuchFileException e) {
                // The series' first instance: its folder is made (and its parents fsync'd) only then,
                // instead of a stat of the folder before every instance (issue 19).
                createDirectories(dir);
                created = TemporaryFiles.create(target);
            }
            temp = created.path();
            ch = created.channel();
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw refused("cannot create " + key, e);
        }
        MessageDigest sha = sha256();
        long length = 0;
        try {
            byte[] buf = new byte[BUFFER];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            int n;
            while ((n = in.read(buf)) >= 0) { // input failures propagate as they are
                sha.update(buf, 0, n);
                bb.clear().limit(n);
                try {
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                } catch (IOException e) {
                    throw refused("cannot write " + key, e);
                }
                length += n;
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            ChecksumAttribute.write(temp, hex);
            // The fsync waits for commit: ingest decides and runs its index statements meanwhile, and a
            // duplicate that is discarded costs none (issue 19).
            return new FileStaged(key, temp, target, hex, length, ch);
        } catch (Throwable failure) {
            // The write's failure is what the sender hears about; a clean-up failure only rides along with it.
            try (ch) {
                leftovers.remove(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    private final class FileStaged implements Staged {
        private final StorageKey key;
        private final Path temp;
        private final Path target;
        private final String sha256;
        private final long length;
        /** Open, with the temporary file's lock, until commit or discard. */
        private final FileChannel locked;
        private boolean done;

        FileStaged(StorageKey key, Path temp, Path target, String sha256, long length, FileChannel locked) {
            this.key = key;
            this.temp = temp;
            this.target = target;
            this.sha256 = sha256;
            this.length = length;
            this.locked = locked;
        }

        @Override public StorageKey key() { return key; }

        @Override public String sha256() { return sha256; }

        @Override public long length() { return length; }

        @Override
        public StoredObject commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or discarded: " + key);
            }
            try (locked) {
                try {
                    locked.force(true); // the bytes and the digest attribute, before the name points at them
                } catch (IOException e) {
                    throw refused("cannot sync " + key, e);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                done = true;
                directorySync.sync(target.getParent()); // shared with concurrent commits to the same directory
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw refused("cannot commit " + key, e);
            }
            leftovers.retry(); // writes go through again: what a failed one could not remove goes now
            return new StoredObject(key, sha256, length);
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                try (locked) {
                    leftovers.remove(temp);
                }
            } else {
                locked.close();
            }
        }
    }

    @Override
    public PreviousCopy keepPrevious(StorageKey key) throws IOException {
        return previousCopies.keep(key);
    }

    @Override
    public java.util.List<PreviousCopy> previousCopies(StorageKey key) throws IOException {
        return previousCopies.leftFor(key);
    }

    @Override
    public java.util.List<StorageKey> keysWithPreviousCopies() throws IOException {
        return previousCopies.keysWithCopies();
    }

    @Override
    public InputStream open(StorageKey key) throws IOException {
        return Files.newInputStream(pathOf(key));
    }

    @Override
    public Optional<FileChannel> openFile(StorageKey key) throws IOException {
        return Optional.of(FileChannel.open(pathOf(key), StandardOpenOption.READ));
    }

    @Override
    public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ);
        ch.position(offset);
        return new BoundedInputStream(Channels.newInputStream(ch), length);
    }

    @Override
    public boolean exists(StorageKey key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public boolean delete(StorageKey key) throws IOException {
        Path p = pathOf(key);
        boolean deleted = Files.deleteIfExists(p);
        if (deleted) {
            syncDirectory(p.getParent());
        }
        return deleted;
    }

    @Override
    public Stream<StorageEntry> list(String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        // Walk only the deepest directory the prefix names, then filter on the full key.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : pathOf(new StorageKey(prefix.substring(0, slash)));
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        return Files.walk(start)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .map(p -> {
                    try {
                        var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                        if (!attrs.isRegularFile()) {
                            return null;
                        }
                        String rel = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                        return rel.startsWith(prefix)
                                ? new StorageEntry(new StorageKey(rel), attrs.size(), attrs.lastModifiedTime().toMillis())
                                : null;
                    } catch (NoSuchFileException e) {
                        return null; // deleted while listing
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(java.util.Objects::nonNull);
    }

    @Override
    public Optional<String> recordedSha256(StorageKey key) throws IOException {
        return ChecksumAttribute.read(pathOf(key));
    }

    /**
     * Asked for every new instance (is another object already at its key?), where the answer is nearly
     * always "no file": a stat first, so that the usual case costs no exception (issue 19).
     */
    @Override
    public Optional<String> quickRecordedSha256(StorageKey key) {
        if (!Files.isRegularFile(pathOf(key))) {
            return Optional.empty();
        }
        try {
            return recordedSha256(key);
        } catch (IOException e) { // deleted meanwhile: no object
            return Optional.empty();
        }
    }

    /** Whether the folder's filesystem keeps user extended attributes (tried once on a probe file). */
    @Override
    public boolean recordsChecksums() {
        Boolean known = recordsChecksums;
        if (known == null) {
            known = false;
            try {
                known = ChecksumAttribute.kept(root);
                recordsChecksums = known;
            } catch (IOException | UnsupportedOperationException e) {
                // unknown for now (the folder may be missing): asked again next time
            }
        }
        return known;
    }

    /**
     * Removes temporary files whose writer is gone (a crash), never those of a writer still running
     * in any process sharing the folder ({@link TemporaryFiles}); returns how many. Run at startup.
     */
    public int sweepTemporaryFiles() throws IOException {
        int removed = TemporaryFiles.sweep(root, previousCopies::seenAtSweep);
        previousCopies.swept();
        return removed;
    }

    /** Creates missing directories and fsyncs each parent whose entries changed. */
    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !parent.equals(root.getParent())) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return; // created concurrently
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        }
    }

    private static StorageOutOfResourcesException refused(String what, IOException cause) {
        return new StorageOutOfResourcesException(what + ": " + cause, cause);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
