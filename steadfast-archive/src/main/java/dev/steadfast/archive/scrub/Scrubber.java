package dev.steadfast.archive.scrub;

import dev.steadfast.archive.storage.ImmutableStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageEntry;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Repair and scrub of replicated storage. Repair makes sure every healthy target holds every
 * object (cheap: existence checks, and the targets known to have missed a write); scrub reads
 * every copy, checks its SHA-256 and replaces a damaged or missing copy with a good one. A copy
 * is good when it matches the index's checksum, or, without one, the checksum recorded with it.
 */
public final class Scrubber {
    private static final Logger log = LoggerFactory.getLogger(Scrubber.class);
    private static final int LISTED = 1000;

    /** The authoritative checksum of a key, when something (the index) knows it. */
    @FunctionalInterface
    public interface Expected {
        Expected NONE = key -> Optional.empty();

        Optional<String> sha256(StorageKey key) throws IOException;

        /**
         * A scrub found {@code copy}'s bytes matching {@link #sha256}: the index may record that (a
         * header-only reindex leaves its rows pending until then). Nothing by default.
         */
        default void verified(StorageKey key, Storage copy) throws IOException {
        }
    }

    /**
     * Whether a copy is a leftover of a deleted study (a target that was down during the delete
     * still holds it): such a copy is removed, never repaired onto the other targets. An
     * {@link Expected} that also implements this (the index's {@link IndexChecksums}) is used as both.
     */
    @FunctionalInterface
    public interface Deleted {
        Deleted NONE = (key, lastModifiedMillis) -> false;

        /** @param lastModifiedMillis when the copy was written, -1 when unknown */
        boolean deleted(StorageKey key, long lastModifiedMillis) throws IOException;
    }

    private final ReplicatedStorage storage;
    private final Expected expected;
    private final Deleted deleted;
    private final Pace pace;

    public Scrubber(ReplicatedStorage storage, Expected expected, Pace pace) {
        this.storage = storage;
        this.expected = expected;
        this.deleted = expected instanceof Deleted d ? d : Deleted.NONE;
        this.pace = pace;
    }

    /**
     * Repairs what the targets are known to lack (writes while they were down: existence checks) or
     * to hold damaged (a read found the copy wrong: every copy is read and checked, and the damaged
     * one replaced from a good one). A key stays pending until its copy is good again.
     */
    public ScrubReport repairPending() {
        Pass pass = new Pass(pace.restart());
        for (Target t : storage.targets()) {
            if (!t.breaker().isClosed()) {
                pass.skipped.add(t.name());
                continue;
            }
            for (StorageKey key : List.copyOf(storage.pendingRepairs(t))) {
                pass.check(key, -1, storage.damagedCopies(t).contains(key));
            }
        }
        return pass.report();
    }

    /** Every object on every healthy target, by existence. */
    public ScrubReport repairAll(Progress progress) throws IOException {
        return all(false, progress);
    }

    /** Every copy of every object, read and checked. */
    public ScrubReport scrub(Progress progress) throws IOException {
        return all(true, progress, key -> true);
    }

    /**
     * Every copy of the objects {@code mine} accepts, read and checked: one partition of a scrub
     * cycle shared by the nodes of a cluster (the others are listed, not read).
     */
    public ScrubReport scrub(Progress progress, java.util.function.Predicate<StorageKey> mine) throws IOException {
        return all(true, progress, mine);
    }

    private ScrubReport all(boolean verify, Progress progress) throws IOException {
        return all(verify, progress, key -> true);
    }

    private ScrubReport all(boolean verify, Progress progress, java.util.function.Predicate<StorageKey> mine) throws IOException {
        long total;
        try (Stream<StorageEntry> s = storage.list("")) {
            total = s.filter(e -> mine.test(e.key())).count();
        }
        progress.start(total);
        Pass pass = new Pass(pace.restart());
        for (Target t : storage.targets()) {
            if (!t.breaker().isClosed()) {
                pass.skipped.add(t.name());
            }
        }
        try (Stream<StorageEntry> s = storage.list("")) {
            s.filter(e -> mine.test(e.key())).forEach(e -> {
                pass.check(e.key(), e.lastModifiedMillis(), verify);
                progress.step();
            });
        }
        return pass.report();
    }

    /** One pass: counters and the per-key work (each key read and checked, or only looked for). */
    private final class Pass {
        final Pace pace;
        final long start = System.currentTimeMillis();
        final List<String> skipped = new ArrayList<>();
        final List<String> unrepairable = new ArrayList<>();
        final List<String> foreign = new ArrayList<>();
        long objects;
        long bytes;
        long missingRepaired;
        long damagedRepaired;
        long unrepairableCount;
        long deletedRemoved;

        Pass(Pace pace) {
            this.pace = pace;
        }

        /** A copy as found: absent, or present with its actual and recorded checksums. */
        record Copy(boolean present, String actual, String recorded) {}

        void check(StorageKey key, long lastModifiedMillis, boolean verify) {
            objects++;
            if (leftoverOfDeletedStudy(key, lastModifiedMillis)) {
                return;
            }
            Map<Target, Copy> copies = new LinkedHashMap<>();
            long before = bytes;
            for (Target t : storage.targets()) {
                if (!t.breaker().isClosed()) {
                    continue;
                }
                try {
                    Copy c = verify ? read(t, key) : new Copy(t.storage().exists(key), null, null);
                    copies.put(t, c);
                } catch (IOException e) {
                    t.breaker().failure(e);
                    log.warn("cannot check {} on {}: {}", key, t, e.toString());
                }
            }
            pace.acquire(bytes - before);
            if (copies.values().stream().noneMatch(Copy::present)) {
                // a refused write (never acknowledged) or a deleted object: nothing to repair
                copies.keySet().forEach(t -> storage.repaired(t, key));
                return;
            }
            Optional<String> fromIndex = indexChecksum(key);
            if (fromIndex.isEmpty()) {
                try {
                    if (notWrittenByTheArchive(key, copies)) {
                        notOurs(key);
                        copies.keySet().forEach(t -> storage.repaired(t, key));
                        return;
                    }
                } catch (IOException e) {
                    log.warn("cannot tell whether {} was written by the archive; left as it is: {}", key, e.toString());
                    return; // never spread what may not be ours
                }
            }
            Optional<String> want = authoritative(fromIndex, copies, verify);
            if (verify && want.isEmpty() && copies.values().stream().anyMatch(Copy::present)) {
                noGoodCopy(key); // copies disagree and none matches a recorded checksum
                return;
            }
            Target good = null;
            for (Map.Entry<Target, Copy> e : copies.entrySet()) {
                Copy c = e.getValue();
                if (c.present && (!verify || want.map(w -> w.equals(c.actual)).orElse(false))) {
                    good = e.getKey();
                    break;
                }
            }
            if (verify && good != null) { // hashed keys too: the index row's own checksum is compared there
                verified(key, good);
            }
            boolean needsWork = copies.values().stream().anyMatch(c -> !c.present
                    || (verify && want.isPresent() && !want.get().equals(c.actual)));
            if (!needsWork) {
                copies.keySet().forEach(t -> storage.repaired(t, key));
                return;
            }
            if (good == null && !verify) {
                good = copies.entrySet().stream().filter(e -> e.getValue().present).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
            }
            if (good == null) {
                noGoodCopy(key);
                return;
            }
            for (Map.Entry<Target, Copy> e : copies.entrySet()) {
                Copy c = e.getValue();
                boolean damaged = c.present && verify && !want.orElseThrow().equals(c.actual);
                if ((!c.present || damaged) && repair(good, e.getKey(), key, want.orElse(null))) {
                    if (damaged) {
                        damagedRepaired++;
                    } else {
                        missingRepaired++;
                    }
                }
            }
        }

        /**
         * A deleted study's copy is removed from every reachable target when its age is known (a
         * listing); from a pending-repair list (age unknown: it may be a re-send not yet indexed) it
         * is only not repaired. True when the key was handled here.
         */
        private boolean leftoverOfDeletedStudy(StorageKey key, long lastModifiedMillis) {
            try {
                if (!deleted.deleted(key, lastModifiedMillis)) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("cannot tell whether {} belongs to a deleted study; not repairing it now: {}", key, e.toString());
                return true; // never copy what may have been deleted
            }
            for (Target t : storage.targets()) {
                storage.repaired(t, key);
                if (lastModifiedMillis < 0 || !t.breaker().isClosed()) {
                    continue;
                }
                try {
                    boolean removed = t.storage() instanceof ImmutableStorage im
                            ? im.auditedDelete(key, "steadfast", "scrub: leftover of a deleted study")
                            : t.storage().delete(key);
                    if (removed) {
                        deletedRemoved++;
                        log.info("removed {} from {}: its study was deleted", key, t);
                    }
                } catch (IOException e) {
                    t.breaker().failure(e);
                    log.warn("cannot remove {} (deleted study) from {}: {}", key, t, e.toString());
                }
            }
            return true;
        }

        private Copy read(Target t, StorageKey key) throws IOException {
            Optional<String> recorded;
            try {
                recorded = t.storage().recordedSha256(key);
            } catch (NoSuchFileException e) {
                return new Copy(false, null, null);
            }
            MessageDigest md = sha256();
            try (InputStream in = new DigestInputStream(t.storage().open(key), md)) {
                bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (NoSuchFileException e) {
                return new Copy(false, null, null);
            }
            return new Copy(true, HexFormat.of().formatHex(md.digest()), recorded.orElse(null));
        }

        /** The index's checksum of the key, empty when it has none (or cannot be asked). */
        private Optional<String> indexChecksum(StorageKey key) {
            try {
                return expected.sha256(key);
            } catch (IOException | RuntimeException e) {
                log.debug("no expected checksum for {}: {}", key, e.toString());
                return Optional.empty();
            }
        }

        /**
         * No index record (checked by the caller), and every copy lies on a target that records a
         * checksum with each object it writes yet has none: something else put it there (an upload
         * an S3 server left unfinished, a file copied in by hand). Copying it would spread it.
         */
        private boolean notWrittenByTheArchive(StorageKey key, Map<Target, Copy> copies) throws IOException {
            for (Map.Entry<Target, Copy> e : copies.entrySet()) {
                Copy c = e.getValue();
                if (!c.present) {
                    continue;
                }
                Storage s = e.getKey().storage();
                if (!s.recordsChecksums()) {
                    return false;
                }
                String recorded = c.actual != null ? c.recorded : s.recordedSha256(key).orElse(null);
                if (recorded != null) {
                    return false;
                }
            }
            return true;
        }

        /** The index's checksum, else one a copy recorded and still matches, else the one all copies share. */
        private Optional<String> authoritative(Optional<String> fromIndex, Map<Target, Copy> copies, boolean verify) {
            if (fromIndex.isPresent()) {
                return fromIndex;
            }
            if (!verify) {
                return Optional.empty();
            }
            for (Copy c : copies.values()) {
                if (c.present && c.actual.equals(c.recorded)) {
                    return Optional.of(c.actual);
                }
            }
            List<String> actuals = copies.values().stream().filter(Copy::present).map(Copy::actual).distinct().toList();
            boolean anyRecorded = copies.values().stream().anyMatch(c -> c.recorded != null);
            return actuals.size() == 1 && !anyRecorded ? Optional.of(actuals.getFirst()) : Optional.empty();
        }

        /** Copies {@code key} from {@code from} to {@code to}, checking what arrived; false when it failed. */
        private boolean repair(Target from, Target to, StorageKey key, String want) {
            try (InputStream in = from.storage().open(key)) {
                StoredObject written = to.storage() instanceof ImmutableStorage im
                        ? im.repair(key, in, "scrub: copy from " + from.name())
                        : to.storage().put(key, in);
                String expectedSha = want != null ? want : from.storage().recordedSha256(key).orElse(null);
                if (expectedSha != null && !expectedSha.equals(written.sha256())) {
                    log.error("copy of {} from {} to {} does not match {}; source damaged?", key, from, to, expectedSha);
                    return false;
                }
                storage.repaired(to, key);
                log.info("repaired {} on {} from {}", key, to, from);
                return true;
            } catch (IOException e) {
                to.breaker().failure(e);
                log.warn("cannot repair {} on {} from {}: {}", key, to, from, e.toString());
                return false;
            }
        }

        private void verified(StorageKey key, Target good) {
            try {
                expected.verified(key, good.storage());
            } catch (IOException | RuntimeException e) {
                log.warn("{} matched its checksum but could not be recorded as verified: {}", key, e.toString());
            }
        }

        private void notOurs(StorageKey key) {
            if (foreign.size() < LISTED) {
                foreign.add(key.path());
            }
            log.warn("{} has no index record and no checksum recorded with it: not written by the archive; left where"
                    + " it is, not copied to other targets", key);
        }

        private void noGoodCopy(StorageKey key) {
            unrepairableCount++;
            if (unrepairable.size() < LISTED) {
                unrepairable.add(key.path());
            }
            log.error("no good copy of {} on any reachable target", key);
        }

        ScrubReport report() {
            return new ScrubReport(objects, bytes, missingRepaired, damagedRepaired, deletedRemoved, List.copyOf(unrepairable),
                    List.copyOf(foreign),
                    List.copyOf(skipped), System.currentTimeMillis() - start);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
