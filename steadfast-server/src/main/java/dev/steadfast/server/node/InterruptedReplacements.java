package dev.steadfast.server.node;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.ReplacementRecovery;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's start settles the in-place replacements a crash interrupted ({@link ReplacementRecovery}, issue 20):
 * once before its journal replays and its ports open; when the index cannot be asked yet, again every
 * {@link #RETRY} until none waits. Part of {@link ArchiveNode}'s wiring.
 */
final class InterruptedReplacements implements AutoCloseable {
    static final Duration RETRY = Duration.ofSeconds(10);

    private final ScheduledExecutorService retries;

    private InterruptedReplacements(ScheduledExecutorService retries) {
        this.retries = retries;
    }

    static InterruptedReplacements settle(ReplicatedStorage targets, Index index, IngestJournal journal) {
        ReplacementRecovery recovery = new ReplacementRecovery(index, journal::pendingSha256);
        var storages = targets.targets().stream().map(Target::storage).toList();
        if (recovery.run(storages).waiting() == 0) {
            return new InterruptedReplacements(null);
        }
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("steadfast-interrupted-replacements").factory());
        retries.scheduleWithFixedDelay(() -> {
            if (recovery.run(storages).waiting() == 0) {
                retries.shutdown();
            }
        }, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        return new InterruptedReplacements(retries);
    }

    @Override
    public void close() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }
}
