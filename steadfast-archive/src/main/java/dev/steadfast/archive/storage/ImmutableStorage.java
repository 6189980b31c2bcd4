package dev.steadfast.archive.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Write-once storage: an object, once committed, is never overwritten or deleted except through
 * {@link #auditedDelete} and {@link #repair}, each of which first appends a line to an audit log
 * (fsync'd) saying who did what and why. Re-storing identical bytes is accepted. Overwrite checks
 * rely on ingest serialising writes of one instance (it does, per SOP Instance UID).
 */
public final class ImmutableStorage implements Storage {
    private final Storage inner;
    private final Path auditLog;

    public ImmutableStorage(Storage inner, Path auditLog) {
        this.inner = inner;
        this.auditLog = auditLog;
    }

    public Storage inner() { return inner; }

    @Override
    public boolean recordsChecksums() { return inner.recordsChecksums(); }

    @Override
    public Staged stage(StorageKey key, InputStream in) throws IOException {
        Staged s = inner.stage(key, in);
        return new Staged() {
            @Override public StorageKey key() { return key; }

            @Override public String sha256() { return s.sha256(); }

            @Override public long length() { return s.length(); }

            @Override
            public StoredObject commit() throws IOException {
                if (inner.exists(key)) {
                    Optional<String> existing = inner.recordedSha256(key);
                    s.close();
                    if (existing.isPresent() && existing.get().equals(s.sha256())) {
                        return new StoredObject(key, s.sha256(), s.length()); // the same bytes again
                    }
                    throw new ImmutableObjectException(key + " is already stored and this target is immutable");
                }
                return s.commit();
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    /** Refused: objects are deleted only through {@link #auditedDelete}. */
    @Override
    public boolean delete(StorageKey key) throws IOException {
        if (!inner.exists(key)) {
            return false;
        }
        throw new ImmutableObjectException(key + " cannot be deleted from an immutable target outside the audited path");
    }

    /** Deletes after recording who asked and why. */
    public boolean auditedDelete(StorageKey key, String who, String reason) throws IOException {
        audit("delete", key, who, reason);
        return inner.delete(key);
    }

    /** Rewrites a missing or damaged copy (scrub, repair) after recording it. */
    public StoredObject repair(StorageKey key, InputStream in, String reason) throws IOException {
        audit("repair", key, "steadfast", reason);
        return inner.put(key, in);
    }

    private synchronized void audit(String action, StorageKey key, String who, String reason) throws IOException {
        Files.createDirectories(auditLog.toAbsolutePath().getParent());
        String line = Instant.now() + "\t" + action + "\t" + key.path() + "\t" + clean(who) + "\t" + clean(reason) + "\n";
        try (FileChannel ch = FileChannel.open(auditLog, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]", " ");
    }

    @Override
    public InputStream open(StorageKey key) throws IOException { return inner.open(key); }

    @Override
    public Optional<FileChannel> openFile(StorageKey key) throws IOException { return inner.openFile(key); }

    @Override
    public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
        return inner.openRange(key, offset, length);
    }

    @Override
    public boolean exists(StorageKey key) throws IOException { return inner.exists(key); }

    @Override
    public Stream<StorageEntry> list(String prefix) throws IOException { return inner.list(prefix); }

    @Override
    public Optional<String> recordedSha256(StorageKey key) throws IOException { return inner.recordedSha256(key); }

    @Override
    public Optional<String> quickRecordedSha256(StorageKey key) { return inner.quickRecordedSha256(key); }

    @Override
    public String toString() { return "immutable " + inner; }
}
