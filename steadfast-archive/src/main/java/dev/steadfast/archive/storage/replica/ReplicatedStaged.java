package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StorageOutOfResourcesException;
import dev.steadfast.archive.storage.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Copies staged on several targets; commit makes them visible on all of them at once. */
final class ReplicatedStaged implements Storage.Staged {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedStaged.class);

    private final ReplicatedStorage owner;
    private final StorageKey key;
    private final List<Target> targets;
    private final List<Storage.Staged> staged;
    private final ExecutorService executor;
    private final String tailSha256;
    private boolean done;

    ReplicatedStaged(ReplicatedStorage owner, StorageKey key, List<Target> targets, List<Storage.Staged> staged,
                     ExecutorService executor, String tailSha256) {
        this.tailSha256 = tailSha256;
        this.owner = owner;
        this.key = key;
        this.targets = targets;
        this.staged = staged;
        this.executor = executor;
        String sha = staged.getFirst().sha256();
        for (Storage.Staged s : staged) {
            if (!s.sha256().equals(sha)) {
                throw new IllegalStateException("targets disagree on the bytes of " + key); // a bug, never data
            }
        }
    }

    @Override public StorageKey key() { return key; }

    @Override public String sha256() { return staged.getFirst().sha256(); }

    @Override public long length() { return staged.getFirst().length(); }

    @Override
    public String tailSha256() {
        if (tailSha256 == null) {
            throw new IllegalStateException("staged without a tail digest: " + key);
        }
        return tailSha256;
    }

    /**
     * Commits every copy in parallel. Fewer than the policy's copies committed is a failed write:
     * the copies that did commit are removed again (best effort), noted for repair, and the caller gets the error.
     */
    @Override
    public StoredObject commit() throws IOException {
        if (done) {
            throw new IllegalStateException("already committed or discarded: " + key);
        }
        done = true;
        List<Future<StoredObject>> futures = new ArrayList<>();
        if (staged.size() == 1) {
            futures.add(commitHere(staged.getFirst())); // nothing to run beside it: no hand-off (issue 19)
        } else {
            for (Storage.Staged s : staged) {
                futures.add(executor.submit(s::commit));
            }
        }
        List<Target> committed = new ArrayList<>();
        StoredObject result = null;
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            Target t = targets.get(i);
            try {
                result = futures.get(i).get();
                committed.add(t);
                t.breaker().success();
            } catch (ExecutionException e) {
                t.breaker().failure(e.getCause());
                owner.missed(t, key);
                errors.add(t + ": " + e.getCause().getMessage());
                log.warn("storage target {} failed to commit {}: {}", t, key, e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add(t + ": interrupted");
            }
        }
        int required = owner.required();
        if (committed.size() < required) {
            // The copy a target committed replaced any previous one there (a re-send under policy replace), and
            // removing it leaves that target without the copy the index still points to: noted for repair, which
            // restores it from a target that kept it (and forgets it when no copy is indexed, a new instance).
            for (Target t : committed) {
                try {
                    t.storage().delete(key);
                    owner.missed(t, key);
                } catch (IOException e) {
                    owner.damaged(t, key); // the new bytes stay there: a good copy must replace them
                    log.warn("could not remove the partial copy of {} on {}: {}", key, t, e.toString());
                }
            }
            throw new StorageOutOfResourcesException("only " + committed.size() + " storage targets committed " + key
                    + " and the write policy needs " + required + ": " + errors);
        }
        return result;
    }

    private static Future<StoredObject> commitHere(Storage.Staged s) {
        try {
            return CompletableFuture.completedFuture(s.commit());
        } catch (Throwable e) { // as the executor would report it
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            staged.forEach(ReplicatedStorage::closeQuietly);
        }
    }
}
