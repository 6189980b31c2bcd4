package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.health.HealthStatus;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageEntry;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Several storage targets behind one {@link Storage}: a write streams to every healthy target at
 * once and succeeds when the {@link WritePolicy} is met; a read goes to the first healthy target
 * holding a good copy, so a dead, missing or damaged replica is never seen by the client.
 * Targets that missed a write are remembered for {@link #pendingRepairs repair}.
 */
public final class ReplicatedStorage implements Storage, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedStorage.class);

    private final List<Target> targets;
    private final WritePolicy policy;
    private final ReplicaOptions options;
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<String, Set<StorageKey>> pending = new ConcurrentHashMap<>();
    /** The part of {@link #pending} known to be present but damaged: repair must read, not just look. */
    private final ConcurrentHashMap<String, Set<StorageKey>> damaged = new ConcurrentHashMap<>();
    /** Where pending repairs are also recorded, to outlive this node (issue 15); nothing by default. */
    private volatile RepairLog repairLog = RepairLog.NONE;
    private volatile java.nio.file.Path temporaryFolder;

    public ReplicatedStorage(List<Target> targets, WritePolicy policy, ReplicaOptions options) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one storage target is needed");
        }
        Set<String> names = new HashSet<>();
        for (Target t : targets) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two storage targets are named " + t.name());
            }
            pending.put(t.name(), ConcurrentHashMap.newKeySet());
            damaged.put(t.name(), ConcurrentHashMap.newKeySet());
        }
        this.targets = List.copyOf(targets);
        this.policy = policy;
        this.options = options;
    }

    public List<Target> targets() { return targets; }

    public WritePolicy policy() { return policy; }

    public int required() { return policy.requiredOf(targets.size()); }

    /** One status record per target, in configuration order. */
    public List<HealthStatus> health() {
        return targets.stream().map(t -> t.breaker().status(pending.get(t.name()).size())).toList();
    }

    /** Keys this target is known to lack or hold damaged; repair drains it ({@link #repaired}). Live view. */
    public Set<StorageKey> pendingRepairs(Target target) {
        return Collections.unmodifiableSet(pending.get(target.name()));
    }

    /** The pending keys whose copy on this target was read and found damaged (a subset of {@link #pendingRepairs}). */
    public Set<StorageKey> damagedCopies(Target target) {
        return Collections.unmodifiableSet(damaged.get(target.name()));
    }

    /** The copy on this target is good again (or need not exist): no longer pending. */
    public void repaired(Target target, StorageKey key) {
        damaged.get(target.name()).remove(key);
        if (pending.get(target.name()).remove(key)) { // not for every key a scrub or delete passes
            repairLog.repaired(target.name(), key);
        }
    }

    void missed(Target target, StorageKey key) {
        if (pending.get(target.name()).add(key)) {
            repairLog.noted(target.name(), key, false);
        }
    }

    /** A read found this target's copy damaged: pending until repair replaces it from a good one. */
    void damaged(Target target, StorageKey key) {
        damaged.get(target.name()).add(key);
        pending.get(target.name()).add(key);
        repairLog.noted(target.name(), key, true);
    }

    /** Large copies are verified through a temporary file in {@code folder} (set once, at wiring; null: java.io.tmpdir). */
    public void temporaryFolder(java.nio.file.Path folder) {
        this.temporaryFolder = folder;
    }

    /** Records pending repairs also in {@code log} from now on (set once, at wiring). */
    public void repairLog(RepairLog log) {
        this.repairLog = log == null ? RepairLog.NONE : log;
    }

    /**
     * Takes over a pending repair another node recorded (or this node, before a restart), without
     * recording it again.
     *
     * @return false when no target of this node has that name (its row is left to a node that has)
     */
    public boolean adopt(String targetName, StorageKey key, boolean isDamaged) {
        Set<StorageKey> p = pending.get(targetName);
        if (p == null) {
            return false;
        }
        if (isDamaged) {
            damaged.get(targetName).add(key);
        }
        p.add(key);
        return true;
    }

    @Override
    public Staged stage(StorageKey key, InputStream in) throws IOException {
        return stage(key, in, -1);
    }

    /**
     * The tail digest (ingest's data set SHA-256) is one more consumer of the chunks handed to the
     * targets' writers, on its own thread: neither digest runs on the thread reading the sender (issue 19).
     *
     * @param tailFrom where the tail digest starts; negative for none
     */
    @Override
    public Staged stage(StorageKey key, InputStream in, long tailFrom) throws IOException {
        return new ReplicatedWrite(this, options, writers).stage(key, in, tailFrom);
    }

    /** On every target a write goes to now ({@link ReplicatedPreviousCopy}). */
    @Override
    public dev.steadfast.archive.storage.PreviousCopy keepPrevious(StorageKey key) throws IOException {
        return ReplicatedPreviousCopy.keep(targets, key);
    }

    /** The copies left on every target, for the journal's replay; recovery asks each target itself. */
    @Override
    public List<dev.steadfast.archive.storage.PreviousCopy> previousCopies(StorageKey key) throws IOException {
        List<dev.steadfast.archive.storage.PreviousCopy> all = new ArrayList<>();
        for (Target t : targets) {
            if (t.breaker().isClosed()) {
                all.addAll(t.storage().previousCopies(key));
            }
        }
        return all;
    }

    static void closeQuietly(Staged s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            log.debug("discarding a staged copy failed: {}", e.toString());
        }
    }

    /** Healthy targets first, in configuration order, then the others as a last resort. */
    List<Target> readOrder() {
        List<Target> order = new ArrayList<>();
        targets.stream().filter(t -> t.breaker().isClosed()).forEach(order::add);
        targets.stream().filter(t -> !t.breaker().isClosed()).forEach(order::add);
        return order;
    }

    @Override
    public InputStream open(StorageKey key) throws IOException {
        return VerifiedRead.open(this, key, options.verifyInMemoryBytes(), temporaryFolder);
    }

    /**
     * The first target's file that opens, as it lies on disk: unlike {@link #open}, no SHA-256 of
     * the target's own, so the caller checks the bytes and falls back to {@link #open} (which fails
     * over past a damaged copy and queues its repair) when they do not match. A copy queued for
     * repair is passed over. Empty when no target keeps local files or none could open it.
     */
    @Override
    public Optional<FileChannel> openFile(StorageKey key) {
        for (Target t : readOrder()) {
            if (pending.get(t.name()).contains(key)) {
                continue; // known missing or damaged here: read a good replica instead
            }
            try {
                Optional<FileChannel> ch = t.storage().openFile(key);
                if (ch.isPresent()) {
                    return ch;
                }
            } catch (IOException e) {
                // missing or unreadable here: another target, or open(), deals with it
            }
        }
        return Optional.empty();
    }

    @Override
    public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
        IOException last = null;
        boolean missingEverywhere = true;
        for (Target t : readOrder()) {
            try {
                InputStream in = t.storage().openRange(key, offset, length);
                t.breaker().success();
                return in;
            } catch (NoSuchFileException e) {
                missed(t, key);
            } catch (IOException e) {
                missingEverywhere = false;
                t.breaker().failure(e);
                last = e;
            }
        }
        throw missingEverywhere ? new NoSuchFileException(key.path()) : new StorageException("no storage target"
                + " could serve " + key, last);
    }

    /** Only targets whose circuit is closed, each once: an ingest never waits on a target that is down. */
    @Override
    public Optional<String> quickRecordedSha256(StorageKey key) {
        for (Target t : targets) {
            if (t.breaker().isClosed()) {
                Optional<String> sha = t.storage().quickRecordedSha256(key);
                if (sha.isPresent()) {
                    return sha;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean exists(StorageKey key) throws IOException {
        IOException last = null;
        for (Target t : readOrder()) {
            try {
                if (t.storage().exists(key)) {
                    return true;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw new StorageException("not every storage target answered for " + key, last);
        }
        return false;
    }

    /** Deletes from every target; a target that cannot be reached keeps the key for repair to delete later. */
    @Override
    public boolean delete(StorageKey key) throws IOException {
        boolean any = false;
        for (Target t : targets) {
            try {
                any |= t.storage().delete(key);
                repaired(t, key);
            } catch (IOException e) {
                t.breaker().failure(e);
                log.warn("could not delete {} from {}: {}", key, t, e.toString());
            }
        }
        return any;
    }

    /** Every key on any target, once (a key that reached only some targets is listed too). */
    @Override
    public Stream<StorageEntry> list(String prefix) throws IOException {
        Set<StorageKey> seen = ConcurrentHashMap.newKeySet();
        Stream<StorageEntry> all = Stream.empty();
        for (Target t : readOrder()) {
            try {
                all = Stream.concat(all, t.storage().list(prefix));
            } catch (IOException e) {
                t.breaker().failure(e);
                log.warn("cannot list {}: {}", t, e.toString());
            }
        }
        return all.filter(e -> seen.add(e.key()));
    }

    /**
     * The checksum the first target that has one recorded. Empty only when every target answered
     * (none holds one); a target that failed to answer makes it an error instead, since "no
     * checksum" means "not written by the archive" to reindex and scrub.
     */
    @Override
    public Optional<String> recordedSha256(StorageKey key) throws IOException {
        IOException failed = null;
        for (Target t : readOrder()) {
            try {
                Optional<String> sha = t.storage().recordedSha256(key);
                if (sha.isPresent()) {
                    return sha;
                }
            } catch (NoSuchFileException e) {
                // not on this target
            } catch (IOException e) {
                failed = e; // another target may know
            }
        }
        if (failed != null) {
            throw new StorageException("cannot tell the recorded checksum of " + key, failed);
        }
        return Optional.empty();
    }

    /** Only when every target does: a copy on one that does not could lack a checksum and still be ours. */
    @Override
    public boolean recordsChecksums() {
        return targets.stream().allMatch(t -> t.storage().recordsChecksums());
    }

    @Override
    public void close() {
        writers.close();
    }
}
