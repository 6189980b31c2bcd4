package dev.steadfast.archive.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link PreviousCopy} for {@link FileSystemStorage}: a hard link to the current file under a hidden sibling
 * name {@code .<name>.<uuid>.prev}, made durable (folder fsync) before the replacement's rename. A link costs no
 * copy, and the rename over the object leaves the linked inode (bytes and digest attribute) untouched. Only
 * replacements pay for it; a first store never comes here.
 */
final class FilePreviousCopies {
    static final String SUFFIX = ".prev";

    private final FileSystemStorage storage;

    FilePreviousCopies(FileSystemStorage storage) {
        this.storage = storage;
    }

    PreviousCopy keep(StorageKey key) throws IOException {
        Path target = storage.pathOf(key);
        Path kept = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + SUFFIX);
        try {
            Files.createLink(kept, target);
        } catch (NoSuchFileException e) {
            return PreviousCopy.NONE; // nothing stored there (deleted meanwhile): nothing to lose
        } catch (IOException | UnsupportedOperationException e) {
            throw new StorageOutOfResourcesException("cannot keep the previous copy of " + key + " before replacing it: " + e, e);
        }
        try {
            FileSystemStorage.syncDirectory(target.getParent()); // the link is durable before the rename over the object
        } catch (IOException e) {
            Files.deleteIfExists(kept);
            throw new StorageOutOfResourcesException("cannot keep the previous copy of " + key + " before replacing it: " + e, e);
        }
        return new Kept(key, target, kept);
    }

    /** The copies kept for {@code key} and never restored nor discarded (a crash), oldest first. */
    List<PreviousCopy> leftFor(StorageKey key) throws IOException {
        Path target = storage.pathOf(key);
        String prefix = "." + target.getFileName() + ".";
        List<PreviousCopy> found = new ArrayList<>();
        if (!Files.isDirectory(target.getParent())) {
            return found;
        }
        try (Stream<Path> s = Files.list(target.getParent())) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(SUFFIX);
            }).sorted((a, b) -> Long.compare(modified(a), modified(b))).forEach(p -> found.add(new Kept(key, target, p)));
        }
        return found;
    }

    /**
     * Every key with a copy left, for the recovery at start: those the start's sweep of temporary files passed
     * (one walk of the tree, not two); without a sweep (a command beside a node), a walk of its own.
     */
    List<StorageKey> keysWithCopies() throws IOException {
        List<Path> seen = seenAtSweep;
        if (seen != null) {
            return seen.stream().filter(Files::exists).map(this::keyOf).distinct().toList(); // settled since: gone
        }
        Path root = storage.root();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(FilePreviousCopies::isKept).map(this::keyOf).distinct().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** What the start's sweep passed: null until a sweep ran. */
    private volatile List<Path> seenAtSweep;

    synchronized void seenAtSweep(Path kept) {
        List<Path> seen = seenAtSweep == null ? new java.util.concurrent.CopyOnWriteArrayList<>() : seenAtSweep;
        seen.add(kept);
        seenAtSweep = seen;
    }

    /** Marks that a sweep ran (found or not), so that {@link #keysWithCopies()} trusts it. */
    synchronized void swept() {
        if (seenAtSweep == null) {
            seenAtSweep = new java.util.concurrent.CopyOnWriteArrayList<>();
        }
    }

    private StorageKey keyOf(Path kept) {
        String n = kept.getFileName().toString();
        String name = n.substring(1, n.length() - SUFFIX.length() - 37); // ".<name>.<uuid 36>.prev"
        return new StorageKey(storage.root().relativize(kept.resolveSibling(name)).toString()
                .replace(java.io.File.separatorChar, '/'));
    }

    static boolean isKept(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(SUFFIX) && n.length() > SUFFIX.length() + 38;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private record Kept(StorageKey key, Path target, Path kept) implements PreviousCopy {
        @Override
        public String sha256() throws IOException {
            java.util.Optional<String> recorded = ChecksumAttribute.read(kept);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            // no attribute: read the bytes (rare: only recovery and the journal's replay ask)
            try (InputStream in = new DigestInputStream(Files.newInputStream(kept), sha())) {
                MessageDigest md = ((DigestInputStream) in).getMessageDigest();
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return HexFormat.of().formatHex(md.digest());
            }
        }

        @Override
        public void restore() throws IOException {
            try {
                Files.move(kept, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                return; // restored or discarded already
            }
            // Both names on one inode (the replacement never reached the rename): rename(2) then does nothing.
            Files.deleteIfExists(kept);
            FileSystemStorage.syncDirectory(target.getParent());
        }

        @Override
        public void discard() throws IOException {
            // No fsync: a copy that comes back after a crash is dropped again by the recovery (the row names the object).
            Files.deleteIfExists(kept);
        }

        private static MessageDigest sha() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
