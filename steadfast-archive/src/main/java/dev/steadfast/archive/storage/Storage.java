package dev.steadfast.archive.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A storage target: a handful of streaming methods over immutable objects named by
 * {@link StorageKey}. Writes are all-or-nothing: a reader sees the old object or the new
 * one, never a part. Implementations are thread-safe.
 */
public interface Storage {

    /**
     * Streams {@code in} to a temporary object without making it visible; the caller then
     * {@linkplain Staged#commit() commits} it (durable and visible once that returns) or closes
     * (discards) it. A target may leave the fsync to commit (the filesystem does, issue 19).
     * Failures of the target throw {@link StorageException} ({@link StorageOutOfResourcesException} when
     * it is out of space or unwritable); failures reading {@code in} propagate as they are.
     * Either way nothing is left behind.
     */
    Staged stage(StorageKey key, InputStream in) throws IOException;

    /**
     * Like {@link #stage(StorageKey, InputStream)}, and also the SHA-256 of the bytes after the first
     * {@code tailFrom} ({@link Staged#tailSha256()}; ingest's data set digest). This default hashes them on
     * the reading thread; a target that hands the bytes to other threads anyway hashes them there (issue 19).
     */
    default Staged stage(StorageKey key, InputStream in, long tailFrom) throws IOException {
        TailSha256 tail = new TailSha256(tailFrom);
        Staged staged = stage(key, tail.hashing(in));
        return TailSha256.withTail(staged, tail.hex());
    }

    /** Writes and commits in one step; re-putting identical bytes is harmless. */
    default StoredObject put(StorageKey key, InputStream in) throws IOException {
        try (Staged s = stage(key, in)) {
            return s.commit();
        }
    }

    /** The whole object. Throws {@link java.nio.file.NoSuchFileException} when absent. */
    InputStream open(StorageKey key) throws IOException;

    /** {@code length} bytes from {@code offset} (fewer at the end of the object). */
    InputStream openRange(StorageKey key, long offset, long length) throws IOException;

    /**
     * The whole object as a local file channel, read as it lies on disk (no checks of this target's
     * own), when the target keeps objects in local files; empty otherwise. Lets retrieve read
     * straight into direct buffers; a caller must check the bytes itself and otherwise fall back to
     * {@link #open}. Throws {@link java.nio.file.NoSuchFileException} when absent.
     */
    default Optional<FileChannel> openFile(StorageKey key) throws IOException {
        return Optional.empty();
    }

    boolean exists(StorageKey key) throws IOException;

    /** Removes the object; false when it was not there. */
    boolean delete(StorageKey key) throws IOException;

    /**
     * Every visible object whose key starts with {@code prefix} ({@code ""} for all), in no
     * particular order; for reindex, repair and scrub. The caller closes the stream.
     */
    default Stream<StorageEntry> list(String prefix) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list its objects");
    }

    /**
     * The SHA-256 (lowercase hex) recorded beside the object when it was written, if this target
     * keeps one: lets scrub and reindex check a copy with no index at all. Empty when absent.
     */
    default Optional<String> recordedSha256(StorageKey key) throws IOException {
        return Optional.empty();
    }

    /**
     * A quick look for the ingest path: the recorded SHA-256 of the object at {@code key}, asking
     * only what answers now (a replicated storage skips targets whose circuit is open, and takes a
     * target that fails as not knowing). Empty when no object is seen or none carries a digest.
     */
    default Optional<String> quickRecordedSha256(StorageKey key) {
        try {
            return recordedSha256(key);
        } catch (IOException e) { // NoSuchFileException: no object; anything else: cannot tell now
            return Optional.empty();
        }
    }

    /**
     * Whether every object this target's writes produce carries a {@link #recordedSha256}: then an
     * object without one was not written by Steadfast (an upload another program left unfinished, a
     * file copied in by hand), and repair, scrub and reindex report it instead of spreading it.
     */
    default boolean recordsChecksums() {
        return false;
    }

    /**
     * Before an in-place replacement (duplicate policy replace, under the instance's lock): keeps the object now
     * at {@code key} aside, durably, until the caller restores or discards it ({@link PreviousCopy}).
     * {@link PreviousCopy#NONE} when there is no object, or the target cannot keep one.
     */
    default PreviousCopy keepPrevious(StorageKey key) throws IOException {
        return PreviousCopy.NONE;
    }

    /** The kept copies of {@code key} a crash left (neither restored nor discarded), oldest first. */
    default java.util.List<PreviousCopy> previousCopies(StorageKey key) throws IOException {
        return java.util.List.of();
    }

    /** Every key with a kept copy left, for the recovery at start. */
    default java.util.List<StorageKey> keysWithPreviousCopies() throws IOException {
        return java.util.List.of();
    }

    /** A written, not yet visible object. Closing without commit discards it. */
    interface Staged extends AutoCloseable {
        StorageKey key();

        /** SHA-256 (lowercase hex) of the staged bytes. */
        String sha256();

        long length();

        /** SHA-256 (lowercase hex) of the bytes after the offset given to {@link Storage#stage(StorageKey, InputStream, long)}. */
        default String tailSha256() {
            throw new IllegalStateException("staged without a tail digest: " + key());
        }

        /** Makes the object visible under its key atomically, replacing any previous one, durably. */
        StoredObject commit() throws IOException;

        @Override
        void close() throws IOException;
    }
}
