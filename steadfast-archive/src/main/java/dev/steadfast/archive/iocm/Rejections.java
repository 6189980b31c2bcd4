package dev.steadfast.archive.iocm;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Imaging Object Change Management (issue 18, IHE RAD IOCM): rejection notes received like any
 * instance hide what they reference.
 *
 * <p>The index side runs inside the transaction that records an instance ({@code IndexWriter}),
 * so live ingest, the ingest journal's replay and reindex all apply it, and a crash never leaves
 * a note stored but not applied. A rejected instance's row leaves the instance table (no query or
 * retrieve path sees it); an instance a note named before it arrived is hidden as it is recorded.
 * Files of "Data Retention Policy Expired" rejections are deleted after the commit
 * ({@link #deleteExpiredFiles}); the rejection row stays as the tombstone.
 */
public final class Rejections {
    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);
    public static final int MAX_PAGE = 1000;

    private final Index index;
    private final Storage storage;
    private final Clock clock;

    public Rejections(Index index, Storage storage, Clock clock) {
        this.index = index;
        this.storage = storage;
        this.clock = clock;
    }

    /**
     * Before an instance is recorded: when a note already rejected it, keeps where its file is in
     * the rejection row instead and returns true (the caller records nothing else).
     */
    public static boolean hideOnArrival(Tx tx, InstanceRecord record) throws SQLException {
        if (RejectionStore.find(tx, record.sopUid()).isEmpty()) {
            return false;
        }
        RejectionStore.held(tx.connection(), record);
        return true;
    }

    /**
     * Whether the object at {@code storageKey} belongs to an instance rejected for retention expiry
     * (113039): scrub and repair then remove a copy a target kept, instead of copying it back.
     */
    public static boolean filesExpired(Tx tx, String storageKey) throws SQLException {
        return RejectionStore.expiredKey(tx.connection(), storageKey);
    }

    /** After an instance is recorded: when it is a rejection note, rejects what it references. */
    public static void applyIfNote(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
        Optional<RejectionNote> note = RejectionNote.of(header);
        if (note.isEmpty()) {
            return;
        }
        Set<Long> studies = new HashSet<>();
        int moved = 0;
        for (RejectionNote.Reference ref : note.get().references()) {
            if (ref.sopUid().equals(record.sopUid())) {
                continue; // a note never rejects itself
            }
            long study = RejectionStore.reject(tx, note.get(), ref, record.receivedAt(), record.callingAe());
            if (study >= 0) {
                studies.add(study);
                moved++;
            }
        }
        if (!studies.isEmpty()) {
            RejectionStore.pruneAfterMove(tx, studies);
        }
        // UIDs and codes only: no patient data in the log.
        LOG.info("rejection note {} ({} {}) from {}: {} instances referenced, {} hidden now", note.get().sopUid(),
                note.get().reason().code(), note.get().reason().meaning(), record.callingAe(), note.get().references().size(), moved);
    }

    /** The rejection of an instance, if one was recorded. */
    public Optional<Rejection> of(String sopUid) {
        return refusing(index, sopUid);
    }

    /**
     * Why ingest must refuse {@code sopUid}: a rejection of an instance this archive held (IOCM: a
     * rejected object must not come back through a re-send, a reconcile or a fallback fetch). An
     * instance a note named before it ever arrived is accepted, and hidden as it is recorded.
     */
    public static Optional<Rejection> refusing(Index index, String sopUid) {
        return index.read(tx -> refusing(tx, sopUid));
    }

    /** As {@link #refusing(Index, String)}, inside the caller's transaction (ingest's claim, issue 19). */
    public static Optional<Rejection> refusing(Tx tx, String sopUid) throws SQLException {
        return RejectionStore.find(tx, sopUid).filter(Rejection::held);
    }

    /** Rejected instances in SOP Instance UID order after {@code afterSop}; {@code study} null: all. */
    public List<Rejection> list(String study, String afterSop, int limit) {
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        return index.read(tx -> RejectionStore.page(tx.connection(), study, afterSop, n));
    }

    /**
     * Deletes the files of instances rejected because their retention expired, and records when;
     * a copy some target cannot delete now is tried again at the next call. Returns the files deleted.
     */
    public int deleteExpiredFiles() {
        List<Rejection> todo = index.read(tx -> RejectionStore.filesToDelete(tx.connection()));
        int done = 0;
        for (Rejection r : todo) {
            try {
                storage.delete(new StorageKey(r.storageKey()));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("could not delete {} now (tried again at the next rejection note or start): {}", r.storageKey(), e.toString());
                continue;
            }
            long at = clock.millis();
            index.write(tx -> {
                RejectionStore.filesDeleted(tx.connection(), r.sopUid(), at);
                return null;
            });
            done++;
        }
        if (done > 0) {
            LOG.info("deleted the files of {} instances rejected for retention expiry (113039)", done);
        }
        return done;
    }
}
