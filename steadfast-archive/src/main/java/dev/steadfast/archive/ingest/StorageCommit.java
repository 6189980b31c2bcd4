package dev.steadfast.archive.ingest;

import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        return start(staged, null);
    }

    /** @param afterCommit run once the object is visible, before anyone hears of it (a test seam); null for none */
    static StorageCommit start(Storage.Staged staged, Runnable afterCommit) {
        StorageCommit c = new StorageCommit();
        Thread.ofVirtual().name("storage-commit").start(() -> {
            try {
                StoredObject object = staged.commit();
                if (afterCommit != null) {
                    afterCommit.run();
                }
                c.done.complete(object);
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
            throw failure(e);
        }
    }

    /**
     * As {@link #await()}, within {@code deadline} ({@link System#nanoTime()}).
     *
     * @throws Slow when the commit is still in flight then: the index transaction waiting for it lets go
     */
    StoredObject await(long deadline) {
        if (done.isDone() || deadline == Long.MAX_VALUE) {
            return await();
        }
        try {
            return done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new Slow();
        } catch (ExecutionException e) {
            throw failure(new CompletionException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not interruptible, as await(): kept for the caller
            return await();
        }
    }

    boolean isDone() {
        return done.isDone();
    }

    private static RuntimeException failure(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
            return new Failure(io);
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new Failure(new IOException("storage commit failed: " + cause, cause));
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

    /** Still in flight at the transaction's deadline: the transaction is rolled back, nothing of it is lost. */
    static final class Slow extends RuntimeException {
        Slow() {
            super("storage commit still in flight", null, false, false);
        }
    }

    /** The storage commit failed: the instance is not visible and must not be indexed. */
    static final class Failure extends UncheckedIOException {
        Failure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
