package dev.steadfast.archive.ingest;

import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The storage commit of a staged instance (rename over its final name, folder fsync) in flight on a virtual
 * thread of its own, so that the instance's index statements run meanwhile; the index transaction commits only
 * after {@link #await()} returned, so a row is never durable before its file and folder (issue 19). Its owner
 * {@linkplain #settle() settles} it on every path before the staged object is closed.
 */
final class StorageCommit {
    private final CompletableFuture<StoredObject> done = new CompletableFuture<>();

    private StorageCommit() {}

    static StorageCommit start(Storage.Staged staged) {
        StorageCommit c = new StorageCommit();
        Thread.ofVirtual().name("storage-commit").start(() -> {
            try {
                c.done.complete(staged.commit());
            } catch (Throwable e) { // reported to the store that waits for it
                c.done.completeExceptionally(e);
            }
        });
        return c;
    }

    /**
     * Waits for the commit (in the index transaction, before its commit).
     *
     * @throws Failure when the object could not be made visible: the transaction must not commit
     */
    StoredObject await() {
        try {
            return done.join(); // not interruptible: a rename and an fsync, and the staged object is closed after
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new Failure(io);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new Failure(new IOException("storage commit failed: " + cause, cause));
        }
    }

    /** Waits for the commit to end either way; true when the object was made visible. */
    boolean settle() {
        try {
            done.join();
            return true;
        } catch (CompletionException e) {
            return false;
        }
    }

    /** The storage commit failed: the instance is not visible and must not be indexed. */
    static final class Failure extends UncheckedIOException {
        Failure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
