package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceClaim;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.PreviousCopy;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settles the in-place replacements (duplicate policy replace) that a crash interrupted, on each storage target
 * ({@link PreviousCopy}, issue 14): where the index row or a pending journal entry names the object now at the
 * key, the new version stands and the kept copies go; otherwise the kept copy the row names (or, with no row,
 * the oldest, the version before any unrecorded replacement) is put back. So after a crash at any point the
 * instance is the previous version or the new one, its row and bytes agreeing. Runs at start, before the journal
 * replays; each key under the instance's claim, the lock live ingest holds across its replacement, so a node
 * starting beside a running one never settles a replacement in flight.
 */
public final class ReplacementRecovery {
    private static final Logger log = LoggerFactory.getLogger(ReplacementRecovery.class);
    private static final Pattern PLAIN_SOP = Pattern.compile("([0-9][0-9.]{0,63})\\.dcm");

    /** The object digests pending in the ingest journal for a storage key (the journal's {@code pendingSha256}). */
    @FunctionalInterface
    public interface Journaled {
        Set<String> sha256(String storageKey) throws IOException;
    }

    /** Runs {@code work} holding the in-process lock live ingest holds on {@code sopUid} ({@link IngestService}). */
    @FunctionalInterface
    public interface InstanceLock {
        Object holding(String sopUid, Work work) throws IOException;
    }

    @FunctionalInterface
    public interface Work {
        Object run() throws IOException;
    }

    /** At start, before ingest runs: nothing to hold. */
    public static final InstanceLock BEFORE_INGEST = (sopUid, work) -> work.run();

    /**
     * @param settled replacements settled (kept or undone)
     * @param waiting replacements left for later: the index could not be asked
     */
    public record Result(int settled, int waiting) {}

    private final Index index;
    private final Journaled journaled;
    private final InstanceLock lock;

    /** For the start, before ingest runs. */
    public ReplacementRecovery(Index index, Journaled journaled) {
        this(index, journaled, BEFORE_INGEST);
    }

    /**
     * @param lock the in-process lock of ingest (a retry while ingest runs): on SQLite the claim is no lock, and a
     *             live replacement of the same instance must not be settled half way
     */
    public ReplacementRecovery(Index index, Journaled journaled, InstanceLock lock) {
        this.index = index;
        this.journaled = journaled;
        this.lock = lock;
    }

    /** Settles what every target holds; a target that fails is logged and counted as waiting. */
    public Result run(List<Storage> targets) {
        int settled = 0;
        int waiting = 0;
        for (Storage s : targets) {
            List<StorageKey> keys;
            try {
                keys = s.keysWithPreviousCopies();
            } catch (IOException | RuntimeException e) {
                log.warn("cannot look for interrupted replacements on {}: {}", s, e.toString());
                waiting++;
                continue;
            }
            for (StorageKey key : keys) {
                try {
                    switch (settle(s, key)) {
                        case SETTLED -> settled++;
                        case WAITING -> waiting++;
                        case NOTHING -> { }
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("cannot settle the interrupted replacement of {} on {} now: {}", key, s, e.toString());
                    waiting++;
                }
            }
        }
        if (settled > 0 || waiting > 0) {
            log.info("interrupted replacements: {} settled, {} waiting for the index", settled, waiting);
        }
        return new Result(settled, waiting);
    }

    private enum Settled { SETTLED, WAITING, NOTHING }

    /** @return WAITING when the index cannot be asked; NOTHING when no copy is left (settled before) */
    private Settled settle(Storage s, StorageKey key) throws IOException {
        if (s.previousCopies(key).isEmpty()) {
            return Settled.NOTHING;
        }
        if (!s.exists(key)) {
            discardAll(s.previousCopies(key)); // the instance was deleted since: nothing to put back
            return Settled.SETTLED;
        }
        String sop = sopUidOf(s, key);
        return (Settled) lock.holding(sop, () -> settleHolding(s, key, sop));
    }

    private Settled settleHolding(Storage s, StorageKey key, String sop) throws IOException {
        Set<String> recorded = new HashSet<>(journaled.sha256(key.path()));
        try (InstanceClaim<Void> claim = index.claim(sop)) {
            // Looked at again under the claim: a running node may have settled it meanwhile.
            List<PreviousCopy> copies = s.previousCopies(key);
            if (copies.isEmpty()) {
                return Settled.NOTHING;
            }
            Optional<StoredInstance> row = claim.current().filter(r -> r.record().storageKey().equals(key.path()));
            row.ifPresent(r -> recorded.add(r.record().sha256()));
            decide(s, key, copies, recorded, row.isEmpty());
            return Settled.SETTLED;
        } catch (IndexException e) {
            // Without the index only the journal can tell: its entry for the object now there keeps it.
            if (!recorded.isEmpty() && recorded.contains(currentSha256(s, key))) {
                discardAll(s.previousCopies(key));
                return Settled.SETTLED;
            }
            return Settled.WAITING;
        }
    }

    private void decide(Storage s, StorageKey key, List<PreviousCopy> copies, Set<String> recorded, boolean noRow)
            throws IOException {
        if (recorded.contains(currentSha256(s, key))) {
            discardAll(copies); // the new version was recorded: it stands
            log.info("replacement of {} on {} was recorded before the stop: kept", key, s);
            return;
        }
        PreviousCopy back = null;
        for (PreviousCopy c : copies) { // oldest first: the newest one the index or journal names wins
            if (recorded.contains(c.sha256())) {
                back = c;
            }
        }
        if (back == null && noRow && recorded.isEmpty()) {
            back = copies.getFirst(); // an object nothing records: the one before any unrecorded replacement
        }
        if (back == null) {
            log.warn("interrupted replacement of {} on {}: neither the object nor a kept copy is the indexed version;"
                    + " left for scrub and repair", key, s);
            return;
        }
        back.restore();
        for (PreviousCopy c : copies) {
            if (c != back) {
                c.discard();
            }
        }
        log.warn("replacement of {} on {} was interrupted before the index recorded it: previous version restored",
                key, s);
    }

    private static void discardAll(List<PreviousCopy> copies) throws IOException {
        for (PreviousCopy c : copies) {
            c.discard();
        }
    }

    /** From the key when the UID is plain; else from the object's own header. */
    private static String sopUidOf(Storage s, StorageKey key) throws IOException {
        String name = key.path().substring(key.path().lastIndexOf('/') + 1);
        var m = PLAIN_SOP.matcher(name);
        if (m.matches()) {
            return m.group(1);
        }
        try (InputStream in = s.open(key)) {
            return StoredObjects.readHeader(key, in, -1, null, 0).record().sopUid();
        }
    }

    private static String currentSha256(Storage s, StorageKey key) throws IOException {
        Optional<String> recorded = s.recordedSha256(key);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        try (InputStream in = s.open(key)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            new DigestInputStream(in, md).transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
