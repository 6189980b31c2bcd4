package dev.steadfast.archive.journal;

import dev.steadfast.archive.health.HealthStatus;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.ingest.DeferredIndexing;
import dev.steadfast.archive.ingest.IndexWriter;
import dev.steadfast.archive.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable ingest journal: while the index database is down, each acknowledged instance is
 * written here (one fsync'd file per instance, named by a sequence number) and replayed into the
 * index in that order when the database answers again. Replay is idempotent ({@link IndexWriter}),
 * and an entry is deleted only after its transaction committed, so every journaled instance is
 * indexed exactly once even across crashes. An entry the index rejects for good (not a connection
 * problem) is moved to {@code failed/} and logged.
 *
 * <p>On a cluster ({@link #shared}) the journal is no node's secret (issue 15): each node appends
 * to its own sub-folder of a folder every node reaches (a shared filesystem), and holds an OS lock
 * on that sub-folder while it runs. The lock goes with the process, also on {@code kill -9} or when
 * its machine is lost. Whenever the index answers, every node drains the sub-folders whose lock it
 * can take: those of nodes that are gone. It holds the lock while it drains, so one folder is
 * replayed by one node at a time and in order; a node restarting waits for a drain to let go.
 */
public final class IngestJournal implements DeferredIndexing, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestJournal.class);
    /** Entries drained from another node's folder per hold of its lock: its owner, restarting, waits no longer. */
    private static final int DRAIN_BATCH = 256;
    /** How long a starting node waits for another node draining its folder to let go. */
    private static final Duration OWNER_WAIT = Duration.ofSeconds(60);

    /** What names a node's sub-folder: {@code cluster.node-id}'s rule. */
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private final JournalFolder own;
    /** The folder holding every node's sub-folder; null for a single node's journal. */
    private final Path sharedRoot;
    private final FileChannel ownerChannel;
    private final Index index;
    private final Storage storage;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean indexDown;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("steadfast-journal-replay").factory());

    /** Opens (creating) a single node's journal in {@code dir}; entries left from a previous run wait for replay. */
    public IngestJournal(Path dir, Index index, Storage storage) throws IOException {
        this(dir, null, null, index, storage);
    }

    private IngestJournal(Path dir, Path sharedRoot, FileChannel ownerChannel, Index index, Storage storage)
            throws IOException {
        this.own = new JournalFolder(dir);
        this.sharedRoot = sharedRoot;
        this.ownerChannel = ownerChannel;
        this.index = index;
        this.storage = storage;
        Files.createDirectories(dir);
        List<Path> entries = own.entries();
        pending.set(entries.size());
        // Numbers go on after every entry this folder ever kept, also those set aside in failed/: a
        // folder another node drained must not name a new entry like one set aside (that move would fail).
        sequence.set(Math.max(entries.isEmpty() ? 0 : JournalFolder.seq(entries.getLast()), own.lastFailedSeq()));
        if (!entries.isEmpty()) {
            log.warn("ingest journal {} holds {} instances not yet indexed", dir, entries.size());
        }
        own.deleteTemporary();
    }

    /**
     * Opens this node's journal in {@code root/nodeId} on a folder shared by the cluster, holding
     * that sub-folder's lock until {@link #close()}; the other sub-folders are drained when their
     * node is gone.
     *
     * @throws IOException also when another running node holds the sub-folder (the same node id twice)
     */
    public static IngestJournal shared(Path root, String nodeId, Index index, Storage storage) throws IOException {
        return shared(root, nodeId, index, storage, OWNER_WAIT);
    }

    /** As {@link #shared(Path, String, Index, Storage)}, waiting at most {@code ownerWait} for the folder. */
    static IngestJournal shared(Path root, String nodeId, Index index, Storage storage, Duration ownerWait)
            throws IOException {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id '" + nodeId + "' cannot name a journal folder: letters, digits, '.', '_', '-'");
        }
        Path dir = Files.createDirectories(root.resolve(nodeId));
        FileChannel ch = FileChannel.open(dir.resolve(JournalFolder.OWNER_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            if (!holdOwnerLock(ch, ownerWait)) {
                throw new IOException("journal folder " + dir + " is held by another running node (waited "
                        + ownerWait.toSeconds() + " s): each node needs its own cluster.node-id");
            }
            return new IngestJournal(dir, root, ch, index, storage);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Takes our folder's lock, waiting while a draining node holds it; true where the filesystem has no locks. */
    private static boolean holdOwnerLock(FileChannel ch, Duration wait) throws IOException {
        long until = System.nanoTime() + wait.toNanos();
        do {
            try {
                if (ch.tryLock() != null) {
                    return true;
                }
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // another node in this JVM (tests) holds or drains it: wait as for another process
            } catch (IOException e) {
                log.warn("the journal folder's filesystem has no file locks: journals of lost nodes are not drained"
                        + " automatically ({})", e.toString());
                return true;
            }
            try {
                Thread.sleep(200); // waiting for another node to release the folder
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the journal folder", e);
            }
        } while (System.nanoTime() < until);
        return false;
    }

    /** Replays in the background every {@code interval} while anything waits, and drains lost nodes' journals. */
    public IngestJournal start(Duration interval) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (deferring()) {
                    replay();
                } else if (sharedRoot != null) {
                    drainLostNodes();
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
            log.error("index unavailable, journaling acknowledged instances to {}: {}", own.dir, e.getMessage());
        }
        indexDown = true;
        index.journalingAfter(e); // so /health says so while this node journals
    }

    @Override
    public void defer(InstanceRecord record) throws IOException {
        byte[] bytes = JournalEntry.encode(record);
        long seq = sequence.incrementAndGet();
        Path target = own.dir.resolve(String.format("%020d", seq) + JournalFolder.SUFFIX);
        Path temp = own.dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        own.syncDir();
        pending.incrementAndGet();
    }

    /** Instances journaled by this node and not yet indexed. */
    public long pending() { return pending.get(); }

    /**
     * What waits to be indexed, as {@code /health} reports it (issue 15): this node's entries, and
     * on a shared journal folder every other node's folder that holds entries, with whether its node
     * is gone (its lock is free: the entries wait for a drain) or not (running, or being drained).
     *
     * @param others entries per other node id; only those with entries
     * @param gone   the ids among {@code others} whose node is gone
     */
    public record Backlog(long own, java.util.Map<String, Long> others, java.util.Set<String> gone) {
        /** This node's entries and those of gone nodes not yet drained: what the cluster has yet to index. */
        public long total() {
            return own + others.entrySet().stream().filter(e -> gone.contains(e.getKey())).mapToLong(java.util.Map.Entry::getValue).sum();
        }
    }

    /** This node's backlog and, on a shared folder, the other nodes' (a listing per folder: for /health, not hot paths). */
    public Backlog backlog() {
        java.util.Map<String, Long> others = new java.util.TreeMap<>();
        java.util.Set<String> gone = new java.util.TreeSet<>();
        if (sharedRoot != null) {
            for (Path dir : otherFolders()) {
                int n;
                try {
                    n = new JournalFolder(dir).entries().size();
                } catch (IOException e) {
                    continue; // just drained or removed
                }
                if (n == 0) {
                    continue;
                }
                String id = dir.getFileName().toString();
                others.put(id, (long) n);
                try (FileChannel ch = FileChannel.open(dir.resolve(JournalFolder.OWNER_LOCK), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = tryLock(ch)) {
                    if (lock != null) {
                        gone.add(id);
                    }
                } catch (IOException e) {
                    // cannot tell: counted as held
                }
            }
        }
        return new Backlog(pending.get(), others, gone);
    }

    /** The index's health, with the journal's backlog as its pending count. */
    public HealthStatus health() {
        HealthStatus h = index.health();
        // Ingest stops calling the index once it journals: the journal knows it is down.
        var state = indexDown && h.up() ? dev.steadfast.archive.health.CircuitBreaker.State.OPEN : h.state();
        return new HealthStatus(h.name(), state, h.consecutiveFailures(), h.lastError(), h.lastFailureAt(),
                h.lastSuccessAt(), pending.get());
    }

    /**
     * Indexes this node's journaled instances in order until none is left or the index fails again.
     *
     * @return how many were indexed
     */
    public synchronized int replay() {
        int done = 0;
        while (true) {
            List<Path> batch;
            try {
                batch = own.entries();
            } catch (IOException e) {
                log.error("cannot list the ingest journal {}: {}", own.dir, e.toString());
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
                if (own.replay(entry, index, storage) == JournalFolder.Replayed.INDEX_DOWN) {
                    indexDown = true;
                    return done;
                }
                pending.decrementAndGet();
                done++;
            }
        }
    }

    /**
     * Drains the journals of the other nodes that are gone (their folder's lock is free), each in
     * order. Nodes still running keep theirs and drain it themselves.
     *
     * @return how many entries were taken off other nodes' journals
     */
    public synchronized int drainLostNodes() {
        if (sharedRoot == null) {
            return 0;
        }
        int done = 0;
        for (Path dir : otherFolders()) {
            JournalFolder folder = new JournalFolder(dir);
            try {
                if (folder.entries().isEmpty()) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(dir.resolve(JournalFolder.OWNER_LOCK), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = tryLock(ch)) {
                    if (lock == null) {
                        continue; // its node is running and drains it itself
                    }
                    folder.deleteTemporary();
                    int n = drain(folder);
                    if (n < 0) {
                        return done; // the index went away: the next round goes on
                    }
                    done += n;
                    if (n > 0) {
                        log.info("indexed {} instances from the journal of lost node {}", n, dir.getFileName());
                    }
                }
            } catch (IOException e) {
                log.error("cannot drain the journal folder {}: {}", dir, e.toString());
            }
        }
        return done;
    }

    /** At most {@link #DRAIN_BATCH} entries of {@code folder}, in order; -1 when the index failed first. */
    private int drain(JournalFolder folder) throws IOException {
        int n = 0;
        for (Path entry : folder.entries()) {
            if (n >= DRAIN_BATCH) {
                break;
            }
            if (folder.replay(entry, index, storage) == JournalFolder.Replayed.INDEX_DOWN) {
                return n == 0 ? -1 : n;
            }
            n++;
        }
        return n;
    }

    private static FileLock tryLock(FileChannel ch) {
        try {
            return ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null; // a node in this JVM (tests run several) holds it
        } catch (IOException e) {
            return null; // no locks on this filesystem: nobody can tell a lost node from a running one
        }
    }

    private List<Path> otherFolders() {
        try (var s = Files.list(sharedRoot)) {
            // Only what a node id can name: not lost+found, not hidden folders of the filesystem.
            return s.filter(p -> NODE_ID.matcher(p.getFileName().toString()).matches()).filter(Files::isDirectory)
                    .filter(p -> !p.equals(own.dir)).sorted().toList();
        } catch (IOException e) {
            log.error("cannot list the shared journal folder {}: {}", sharedRoot, e.toString());
            return List.of();
        }
    }

    /**
     * The object digests the journal holds for {@code storageKey} (this node's entries and every other node's on
     * a shared folder): versions acknowledged and not yet indexed, which the recovery of an interrupted replacement
     * must keep (issue 14). Reads every entry: only asked when a crash left a replacement's previous copy.
     */
    public synchronized java.util.Set<String> pendingSha256(String storageKey) throws IOException {
        java.util.Set<String> found = new java.util.HashSet<>();
        List<JournalFolder> folders = new ArrayList<>(List.of(own));
        if (sharedRoot != null) {
            for (Path dir : otherFolders()) {
                folders.add(new JournalFolder(dir));
            }
        }
        for (JournalFolder folder : folders) {
            found.addAll(folder.digestsOf(storageKey));
        }
        return found;
    }

    /**
     * Drops the entries of instances stored under {@code keyPrefix} (a study being deleted), so a
     * replay does not index them after the delete: this node's, and those of lost nodes. Holds the
     * replay lock: no entry is half replayed.
     *
     * @return the records dropped
     */
    public synchronized List<InstanceRecord> discard(String keyPrefix) throws IOException {
        List<InstanceRecord> dropped = new ArrayList<>();
        int ownDropped = discard(own, keyPrefix, dropped);
        pending.addAndGet(-ownDropped);
        if (sharedRoot != null) {
            for (Path dir : otherFolders()) {
                try (FileChannel ch = FileChannel.open(dir.resolve(JournalFolder.OWNER_LOCK), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = tryLock(ch)) {
                    if (lock != null) {
                        discard(new JournalFolder(dir), keyPrefix, dropped);
                    }
                }
            }
        }
        return dropped;
    }

    private static int discard(JournalFolder folder, String keyPrefix, List<InstanceRecord> dropped) throws IOException {
        int n = 0;
        for (Path entry : folder.entries()) {
            InstanceRecord record;
            try {
                record = JournalEntry.decode(Files.readAllBytes(entry));
            } catch (IOException e) {
                continue; // replay quarantines it
            }
            if (record.storageKey().startsWith(keyPrefix)) {
                Files.delete(entry);
                dropped.add(record);
                n++;
            }
        }
        if (n > 0) {
            folder.syncDir();
        }
        return n;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (ownerChannel != null) {
            try {
                ownerChannel.close(); // releases the folder: another node may drain what is left
            } catch (IOException e) {
                log.debug("closing the journal folder's lock: {}", e.toString());
            }
        }
    }
}
