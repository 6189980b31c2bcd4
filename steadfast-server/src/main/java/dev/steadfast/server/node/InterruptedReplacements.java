package dev.steadfast.server.node;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.ReplacementRecovery;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's start settles the in-place replacements a crash interrupted ({@link ReplacementRecovery}, issue 14):
 * once before its journal replays and its ports open; when the index cannot be asked yet, again every
 * {@link #RETRY} once ingest runs, under ingest's own lock of each instance, until none waits. Part of
 * {@link ArchiveNode}'s wiring.
 */
final class InterruptedReplacements implements AutoCloseable {
    static final Duration RETRY = Duration.ofSeconds(10);

    private final Index index;
    private final IngestJournal journal;
    private final List<Storage> storages;
    private final boolean waiting;
    private volatile ScheduledExecutorService retries;

    private InterruptedReplacements(Index index, IngestJournal journal, List<Storage> storages, boolean waiting) {
        this.index = index;
        this.journal = journal;
        this.storages = storages;
        this.waiting = waiting;
    }

    /** Before ingest runs: settles what it can now. */
    static InterruptedReplacements settle(ReplicatedStorage targets, Index index, IngestJournal journal) {
        List<Storage> storages = targets.targets().stream().map(Target::storage).toList();
        int waiting = new ReplacementRecovery(index, journal::pendingSha256).run(storages).waiting();
        return new InterruptedReplacements(index, journal, storages, waiting > 0);
    }

    /** Once ingest runs: what waited for the index is tried again every {@link #RETRY}, holding {@code lock}. */
    void retryHolding(ReplacementRecovery.InstanceLock lock) {
        if (!waiting) {
            return;
        }
        ReplacementRecovery recovery = new ReplacementRecovery(index, journal::pendingSha256, lock);
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("steadfast-interrupted-replacements").factory());
        s.scheduleWithFixedDelay(() -> {
            if (recovery.run(storages).waiting() == 0) {
                s.shutdown();
            }
        }, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        retries = s;
    }

    @Override
    public void close() {
        ScheduledExecutorService s = retries;
        if (s != null) {
            s.shutdownNow();
        }
    }
}
