package dev.steadfast.archive.reindex;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IndexWriter;
import dev.steadfast.archive.ingest.StoredObjects;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Rebuilds the index from storage alone: lists every object, reads each (in parallel) with
 * its checksums, and records it in batches. Objects already in the index are skipped, so an
 * interrupted run simply resumes; a copy whose bytes contradict the checksum recorded with it is
 * reported, not indexed. Works on a fresh machine: storage keys and files carry everything.
 * Copies of studies deleted through the admin API (a target was down during the delete) are not
 * indexed again: the index's tombstones say which, when this index is the one they were deleted
 * from; a copy written after the deletion (a re-send) is indexed.
 */
public final class Reindexer {
    private static final Logger log = LoggerFactory.getLogger(Reindexer.class);
    private static final int LISTED = 1000;
    private static final Object END = new Object();

    private final Storage storage;
    private final Index index;
    private final int threads;
    private final int batchSize;
    private final boolean headersOnly;

    /** Reads and hashes every byte of every object (damage is found here, at full-read speed). */
    public Reindexer(Storage storage, Index index, int threads, int batchSize) {
        this(storage, index, threads, batchSize, false);
    }

    /**
     * @param headersOnly read each object only up to Pixel Data and take the checksum recorded at
     *                    ingest; such rows are {@linkplain Unverified pending} until a scrub has read
     *                    their bytes. Objects without a recorded checksum are still read in full.
     */
    public Reindexer(Storage storage, Index index, int threads, int batchSize, boolean headersOnly) {
        if (threads < 1 || batchSize < 1) {
            throw new IllegalArgumentException("threads and batch size must be >= 1");
        }
        this.storage = storage;
        this.index = index;
        this.threads = threads;
        this.batchSize = batchSize;
        this.headersOnly = headersOnly;
    }

    public ReindexReport run(Progress progress) throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        Set<String> done = indexedKeys();
        Map<String, Long> tombstones = index.read(tx -> tx.deletions().tombstones());
        AtomicLong deleted = new AtomicLong();
        long total;
        try (Stream<StorageEntry> s = storage.list("")) {
            total = s.count();
        }
        progress.start(total);
        AtomicLong objects = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<String> damaged = Collections.synchronizedList(new ArrayList<>());
        List<String> unreadable = Collections.synchronizedList(new ArrayList<>());
        List<String> notOurs = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<Object> parsed = new ArrayBlockingQueue<>(batchSize * 4);
        BatchWriter writer = new BatchWriter(parsed, progress);
        Thread writerThread = Thread.ofPlatform().name("steadfast-reindex-writer").start(writer);
        Semaphore inFlight = new Semaphore(threads * 4);
        try (ExecutorService readers = Executors.newFixedThreadPool(threads);
             Stream<StorageEntry> entries = storage.list("")) {
            entries.forEach(e -> {
                objects.incrementAndGet();
                if (done.contains(e.key().path())) {
                    skipped.incrementAndGet();
                    progress.step();
                    return;
                }
                Long deletedAt = tombstones.get(studyPrefix(e.key().path()));
                if (deletedAt != null && e.lastModifiedMillis() <= deletedAt) {
                    deleted.incrementAndGet();
                    progress.step();
                    return;
                }
                inFlight.acquireUninterruptibly();
                readers.submit(() -> {
                    try {
                        Optional<StoredObjects.Parsed> p = read(e, damaged, unreadable, notOurs);
                        bytes.addAndGet(p.isPresent() && Unverified.is(p.get().record()) ? 0 : e.size());
                        if (p.isPresent()) {
                            parsed.put(p.get());
                        } else {
                            progress.step();
                        }
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                    }
                });
            });
        }
        parsed.put(END);
        writerThread.join();
        if (writer.failure != null) {
            throw new IOException("reindex stopped: the index refused a batch: " + writer.failure.getMessage(),
                    writer.failure);
        }
        if (deleted.get() > 0) {
            log.info("{} objects of deleted studies were not indexed (verify removes them)", deleted.get());
        }
        if (!notOurs.isEmpty()) {
            log.warn("{} objects were not written by the archive (no checksum recorded with them); not indexed", notOurs.size());
        }
        return new ReindexReport(objects.get(), writer.indexed, skipped.get(), deleted.get(), cap(damaged), cap(unreadable), cap(notOurs),
                bytes.get(), System.currentTimeMillis() - start, writer.unverified);
    }

    private Optional<StoredObjects.Parsed> read(StorageEntry e, List<String> damaged, List<String> unreadable,
                                                List<String> notOurs) {
        try {
            Optional<String> recorded = storage.recordedSha256(e.key());
            if (recorded.isEmpty() && storage.recordsChecksums()) {
                // Every object the archive writes here carries its checksum: this one is something
                // else's (an upload an S3 server left unfinished, a file copied in): reported, not indexed.
                notOurs.add(e.key().path());
                return Optional.empty();
            }
            StoredObjects.Parsed p;
            if (headersOnly && recorded.isPresent()) {
                // The checksum recorded at ingest stands in for the bytes; scrub verifies them later. A
                // range, not open(): replicated storage's open() reads and hashes the whole copy first.
                try (InputStream in = storage.openRange(e.key(), 0, e.size())) {
                    return Optional.of(Unverified.mark(StoredObjects.readHeader(e.key(), in, e.size(), recorded.get(),
                            e.lastModifiedMillis())));
                }
            }
            try (InputStream in = storage.open(e.key())) {
                p = StoredObjects.read(e.key(), in, e.lastModifiedMillis());
            }
            if (recorded.isPresent() && !recorded.get().equals(p.record().sha256())) {
                log.error("{} is damaged (SHA-256 {} but {} was recorded); not indexed, run verify to repair it",
                        e.key(), p.record().sha256(), recorded.get());
                damaged.add(e.key().path());
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (IOException | RuntimeException ex) {
            log.warn("{} cannot be read as a stored instance: {}", e.key(), ex.toString());
            unreadable.add(e.key().path());
            return Optional.empty();
        }
    }

    private static String studyPrefix(String path) {
        return path.substring(0, path.indexOf('/') + 1);
    }

    /** Storage keys the index already holds (what a resumed run skips). */
    private Set<String> indexedKeys() {
        return index.read(tx -> {
            Set<String> keys = new HashSet<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT storage_key FROM instance")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return keys;
        });
    }

    private static List<String> cap(List<String> l) {
        synchronized (l) {
            return List.copyOf(l.subList(0, Math.min(LISTED, l.size())));
        }
    }

    /** One thread writes: batches of parsed instances, one transaction each. */
    private final class BatchWriter implements Runnable {
        private final BlockingQueue<Object> queue;
        private final Progress progress;
        volatile long indexed;
        volatile long unverified;
        volatile RuntimeException failure;

        BatchWriter(BlockingQueue<Object> queue, Progress progress) {
            this.queue = queue;
            this.progress = progress;
        }

        @Override
        public void run() {
            List<StoredObjects.Parsed> batch = new ArrayList<>(batchSize);
            boolean end = false;
            while (!end) {
                try {
                    Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    for (Object o = first; o != null; o = batch.size() < batchSize ? queue.poll() : null) {
                        if (o == END) {
                            end = true;
                            break;
                        }
                        batch.add((StoredObjects.Parsed) o);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (!batch.isEmpty() && failure == null) {
                    try {
                        index.write(tx -> {
                            for (StoredObjects.Parsed p : batch) {
                                IndexWriter.record(tx, p.header(), p.record());
                            }
                            return null;
                        });
                        indexed += batch.size();
                        unverified += batch.stream().filter(p -> Unverified.is(p.record())).count();
                    } catch (dev.steadfast.archive.index.SeriesInOtherStudyException e) {
                        oneByOne(batch); // one names a series another study holds: set that one aside, index the rest
                    } catch (RuntimeException e) {
                        failure = e; // keep draining so the readers finish
                    }
                    batch.forEach(p -> progress.step());
                    batch.clear();
                }
            }
        }
    
        /** The batch again, one instance per transaction; an instance whose series another study holds is left out. */
        private void oneByOne(List<StoredObjects.Parsed> batch) {
            for (StoredObjects.Parsed p : batch) {
                try {
                    index.write(tx -> IndexWriter.record(tx, p.header(), p.record()));
                    indexed++;
                    if (Unverified.is(p.record())) {
                        unverified++;
                    }
                } catch (dev.steadfast.archive.index.SeriesInOtherStudyException e) {
                    log.warn("{} not indexed: {}", p.record().storageKey(), e.getMessage());
                } catch (RuntimeException e) {
                    failure = e;
                    return;
                }
            }
        }
}
}
