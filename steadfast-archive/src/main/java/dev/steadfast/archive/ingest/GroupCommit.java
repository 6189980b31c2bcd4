package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.dicom.Dataset;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of the index writes of concurrent ingests: instances that arrive while a
 * transaction is committing are recorded together in the next one, and each caller returns
 * only once the transaction holding its instance has committed (or with that transaction's
 * failure). Why: on small instances the per-transaction cost (BEGIN, commit, WAL append) is
 * most of the index CPU, not the rows (docs/PERFORMANCE.md, issue 8).
 *
 * <p>No thread of its own: a caller that finds no transaction running becomes the leader,
 * takes everything queued and commits it; the others wait on the leader lock and find their
 * instance done. A failed batch of several is retried one instance per transaction, so one
 * instance the index refuses fails only its own caller; an index that is down fails each.
 */
final class GroupCommit {
    /** Bounds the transaction (and the wait of the first caller in it). */
    static final int MAX_BATCH = 64;
    /**
     * How long a transaction whose statements are done waits for its instances' storage commits (an fsync, a
     * rename: about a millisecond) while it holds the index's write. Past it the transaction lets go and the
     * instances still in flight are recorded once their commits ended: a hung target (a stalled S3 upload) must
     * not stop every other index write behind it.
     */
    static final long STORAGE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Index index;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock leader = new ReentrantLock();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong instances = new AtomicLong();
    private volatile int largestBatch;

    GroupCommit(Index index) {
        this.index = index;
    }

    /** What the batching did so far, for tests and metrics. */
    record Stats(long transactions, long instances, int largestBatch, int waiting) {}

    Stats stats() {
        return new Stats(transactions.get(), instances.get(), largestBatch, waiting.get());
    }

    /**
     * Records one instance ({@link IndexWriter#record}) and returns once it is committed.
     *
     * @param current what the caller found in the index under the instance's UID while holding
     *                that UID's ingest lock (so it still holds); the transaction does not look again
     * @param storage the instance's storage commit, in flight: its transaction runs the statements meanwhile
     *                and commits only after it (issue 19); null when it is already done
     * @return the record it replaced under another storage key, else empty
     * @throws IndexException when its transaction failed: nothing of it is in the index
     * @throws StorageCommit.Failure when its storage commit failed: nothing of it is in the index
     */
    Optional<InstanceRecord> record(Dataset header, InstanceRecord record, Optional<StoredInstance> current,
                                    StorageCommit storage) {
        Pending p = new Pending(header, record, current, storage);
        waiting.incrementAndGet();
        queue.add(p);
        try {
            while (!p.done) {
                if (p.slow) { // its storage commit outlasted a transaction: waited for here, without the leader lock
                    p.slow = false;
                    p.storage.settle();
                    queue.add(p);
                }
                leader.lock();
                try {
                    if (!p.done && !p.slow) {
                        commitQueued();
                    }
                } finally {
                    leader.unlock();
                }
            }
        } finally {
            waiting.decrementAndGet();
        }
        if (p.failure != null) {
            throw p.failure;
        }
        return p.movedAway;
    }

    /** Under the leader lock: one transaction for what is queued (FIFO, at most MAX_BATCH). */
    private void commitQueued() {
        List<Pending> batch = new ArrayList<>();
        for (Pending q; batch.size() < MAX_BATCH && (q = queue.poll()) != null; ) {
            batch.add(q);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            commit(batch);
        } finally {
            // An Error on the way: the waiters must not wait for an instance no longer queued.
            for (Pending q : batch) {
                if (!q.done && !q.slow) {
                    q.fail(new IndexException("the index transaction did not complete", null, false));
                }
            }
        }
    }

    private void commit(List<Pending> batch) {
        try {
            commitOnce(batch);
        } catch (StorageCommit.Slow slow) {
            // Rolled back, the index's write released. What is still in flight waits in its own caller's thread
            // and is queued again; the rest is recorded now.
            List<Pending> ready = new ArrayList<>();
            for (Pending q : batch) {
                if (q.storageInFlight()) {
                    q.slow = true;
                } else {
                    ready.add(q);
                }
            }
            if (!ready.isEmpty()) {
                commit(ready);
            }
        }
    }

    private void commitOnce(List<Pending> batch) {
        try {
            int[] attempts = {0};
            List<Optional<InstanceRecord>> moved = index.write(tx -> {
                // A retry may follow a commit whose reply was lost (fail-over, broken connection): the
                // server may have committed it. So a retry first reads each row again and takes an
                // instance it finds recorded with its own bytes as done (issue 15); before, the retry
                // inserted again and failed on the unique SOP Instance UID until retries ran out.
                boolean reread = attempts[0]++ > 0;
                List<Optional<InstanceRecord>> out = new ArrayList<>(batch.size());
                for (Pending q : batch) {
                    out.add(record(tx, q, reread));
                }
                long deadline = System.nanoTime() + STORAGE_WAIT_NANOS;
                for (Pending q : batch) { // the rows are never durable before their files and folders
                    q.awaitStorage(deadline);
                }
                return out;
            });
            count(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).succeed(moved.get(i));
            }
        } catch (StorageCommit.Slow slow) {
            throw slow;
        } catch (RuntimeException e) { // IndexException, or a bug: reported to the callers either way
            if (batch.size() == 1) {
                batch.getFirst().fail(e);
                return;
            }
            for (Pending q : batch) { // find the one the index refuses; the others still commit
                try {
                    // The batch's commit may have happened before its reply was lost: read again.
                    if (q.storageInFlight()) {
                        q.slow = true; // recorded once its storage commit ended, not inside a transaction
                        continue;
                    }
                    Optional<InstanceRecord> moved = index.write(tx -> {
                        q.awaitStorage(Long.MAX_VALUE);
                        return record(tx, q, true);
                    });
                    count(1);
                    q.succeed(moved);
                } catch (RuntimeException e2) {
                    q.fail(e2);
                }
            }
        }
    }

    /** Records {@code q}; {@code reread}: first looks whether the row is already ours (a lost commit's reply). */
    private static Optional<InstanceRecord> record(Tx tx, Pending q, boolean reread) throws SQLException {
        if (!reread) {
            return IndexWriter.record(tx, q.header, q.record, q.current);
        }
        Optional<StoredInstance> now = tx.instances().find(q.record.sopUid());
        if (now.isPresent() && now.get().record().sha256().equals(q.record.sha256())
                && now.get().record().storageKey().equals(q.record.storageKey())) {
            // Ours, committed by the attempt whose reply was lost: what it moved away is what the
            // caller's look-up held under another key.
            return q.current.map(StoredInstance::record).filter(r -> !r.storageKey().equals(q.record.storageKey()));
        }
        // Not ours: as on the first attempt, so that a row another writer changed meanwhile fails the
        // transaction instead of being overwritten.
        return IndexWriter.record(tx, q.header, q.record, q.current);
    }

    private void count(int n) {
        transactions.incrementAndGet();
        instances.addAndGet(n);
        if (n > largestBatch) {
            largestBatch = n;
        }
    }

    private static final class Pending {
        final Dataset header;
        final InstanceRecord record;
        final Optional<StoredInstance> current;
        final StorageCommit storage;
        // Written by the leader before it releases the lock the waiter takes next: visible to it.
        volatile boolean done;
        /** Its storage commit outlasted its transaction: its caller waits for it, then queues it again. */
        volatile boolean slow;
        Optional<InstanceRecord> movedAway = Optional.empty();
        RuntimeException failure;

        Pending(Dataset header, InstanceRecord record, Optional<StoredInstance> current, StorageCommit storage) {
            this.header = header;
            this.record = record;
            this.current = current;
            this.storage = storage;
        }

        /** Its storage commit has not ended yet: it must not be waited for inside a transaction. */
        boolean storageInFlight() {
            return storage != null && !storage.isDone();
        }

        /** @throws StorageCommit.Slow when not done by {@code deadline} (System.nanoTime) */
        void awaitStorage(long deadline) {
            if (storage != null) {
                storage.await(deadline);
            }
        }

        void succeed(Optional<InstanceRecord> moved) {
            movedAway = moved;
            done = true;
        }

        void fail(RuntimeException e) {
            failure = e;
            done = true;
        }
    }
}
