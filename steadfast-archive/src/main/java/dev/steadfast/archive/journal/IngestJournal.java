package dev.steadfast.archive.journal;

import dev.steadfast.archive.health.HealthStatus;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.ingest.DeferredIndexing;
import dev.steadfast.archive.ingest.IndexWriter;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The durable local ingest journal: while the index database is down, each acknowledged
 * instance is written here (one fsync'd file per instance, named by a sequence number) and
 * replayed into the index in that order when the database answers again. Replay is idempotent
 * ({@link IndexWriter}), and an entry is deleted only after its transaction committed, so
 * every journaled instance is indexed exactly once even across crashes. An entry the index
 * rejects for good (not a connection problem) is moved to {@code failed/} and logged.
 */
public final class IngestJournal implements DeferredIndexing, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestJournal.class);
    private static final String SUFFIX = ".entry";

    private final Path dir;
    private final Index index;
    private final Storage storage;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean indexDown;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("steadfast-journal-replay").factory());

    /** Opens (creating) the journal in {@code dir}; entries left from a previous run wait for replay. */
    public IngestJournal(Path dir, Index index, Storage storage) throws IOException {
        this.dir = dir;
        this.index = index;
        this.storage = storage;
        Files.createDirectories(dir);
        List<Path> entries = entries();
        pending.set(entries.size());
        if (!entries.isEmpty()) {
            sequence.set(seq(entries.getLast()));
            log.warn("ingest journal {} holds {} instances not yet indexed", dir, entries.size());
        }
        try (Stream<Path> s = Files.list(dir)) { // temporary files of a crashed append were never acknowledged
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Replays in the background every {@code interval} while anything waits. */
    public IngestJournal start(Duration interval) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (deferring()) {
                    replay();
                }
            } catch (RuntimeException e) {
                log.error("journal replay failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public boolean deferring() {
        return indexDown || pending.get() > 0;
    }

    @Override
    public void indexFailed(IndexException e) {
        if (!indexDown) {
            log.error("index unavailable, journaling acknowledged instances to {}: {}", dir, e.getMessage());
        }
        indexDown = true;
    }

    @Override
    public void defer(InstanceRecord record) throws IOException {
        byte[] bytes = JournalEntry.encode(record);
        long seq = sequence.incrementAndGet();
        Path target = dir.resolve(String.format("%020d", seq) + SUFFIX);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDir();
        pending.incrementAndGet();
    }

    /** Instances journaled and not yet indexed. */
    public long pending() { return pending.get(); }

    /** The index's health, with the journal's backlog as its pending count. */
    public HealthStatus health() {
        HealthStatus h = index.health();
        // Ingest stops calling the index once it journals: the journal knows it is down.
        var state = indexDown && h.up() ? dev.steadfast.archive.health.CircuitBreaker.State.OPEN : h.state();
        return new HealthStatus(h.name(), state, h.consecutiveFailures(), h.lastError(), h.lastFailureAt(),
                h.lastSuccessAt(), pending.get());
    }

    /**
     * Indexes journaled instances in order until none is left or the index fails again.
     *
     * @return how many were indexed
     */
    public synchronized int replay() {
        int done = 0;
        while (true) {
            List<Path> batch;
            try {
                batch = entries();
            } catch (IOException e) {
                log.error("cannot list the ingest journal {}: {}", dir, e.toString());
                return done;
            }
            if (batch.isEmpty()) {
                indexDown = false;
                if (done > 0) {
                    log.info("ingest journal replayed; the index is current again");
                }
                return done;
            }
            for (Path entry : batch) {
                if (!replayOne(entry)) {
                    return done;
                }
                done++;
            }
        }
    }

    private boolean replayOne(Path entry) {
        InstanceRecord record;
        try {
            record = JournalEntry.decode(Files.readAllBytes(entry));
        } catch (IOException e) {
            quarantine(entry, e);
            return true;
        }
        try {
            Optional<InstanceRecord> movedAway = index.write(tx -> {
                try {
                    return IndexWriter.record(tx, Metadata.decode(record.metadata()), record);
                } catch (IOException e) {
                    throw new IllegalStateException("undecodable metadata in journal entry", e);
                }
            });
            Files.delete(entry);
            syncDir();
            pending.decrementAndGet();
            if (movedAway.isPresent()) {
                storage.delete(new StorageKey(movedAway.get().storageKey()));
            }
            return true;
        } catch (IndexException e) {
            if (e.isTransient()) {
                indexDown = true;
                return false; // still down: try again later, in order
            }
            quarantine(entry, e);
            return true;
        } catch (IOException | RuntimeException e) {
            quarantine(entry, e);
            return true;
        }
    }

    /**
     * Drops the entries of instances stored under {@code keyPrefix} (a study being deleted), so a
     * replay does not index them after the delete. Holds the replay lock: no entry is half replayed.
     *
     * @return the records dropped
     */
    public synchronized List<InstanceRecord> discard(String keyPrefix) throws IOException {
        List<InstanceRecord> dropped = new java.util.ArrayList<>();
        for (Path entry : entries()) {
            InstanceRecord record;
            try {
                record = JournalEntry.decode(Files.readAllBytes(entry));
            } catch (IOException e) {
                continue; // replay quarantines it
            }
            if (record.storageKey().startsWith(keyPrefix)) {
                Files.delete(entry);
                pending.decrementAndGet();
                dropped.add(record);
            }
        }
        if (!dropped.isEmpty()) {
            syncDir();
        }
        return dropped;
    }

    private void quarantine(Path entry, Exception why) {
        try {
            Path failed = Files.createDirectories(dir.resolve("failed"));
            Files.move(entry, failed.resolve(entry.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            pending.decrementAndGet();
            log.error("journal entry {} cannot be indexed and was moved to {} (the instance is in storage;"
                    + " reindex picks it up): {}", entry.getFileName(), failed, why.toString());
        } catch (IOException e) {
            log.error("cannot move the failed journal entry {}: {}", entry, e.toString());
        }
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    private static long seq(Path entry) {
        String n = entry.getFileName().toString();
        return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
    }

    private void syncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
