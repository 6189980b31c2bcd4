package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.SeriesInOtherStudyException;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.PreviousCopy;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;
import dev.steadfast.dicom.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * Makes a staged new (or replacing) instance visible in storage and records it in the index, under the lock of
 * its UID. The storage commit (rename, folder fsync) runs while the index statements do, and the index
 * transaction commits only after it ({@link StorageCommit}, issue 19): the row is still never durable before
 * its file and folder, and the store is acknowledged only after both. On an index failure the instance is
 * journaled when there is a journal (its bytes are durable: it is acknowledged); without one, what this made
 * visible is removed again and the store fails. An in-place replacement keeps the previous bytes aside first
 * ({@link PreviousCopy}) and puts them back when neither the index nor the journal records the new ones
 * (issue 14); a crash meanwhile is undone at the next start ({@link ReplacementRecovery}).
 */
final class IndexedCommit {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final Storage storage;
    private final GroupCommit groupCommit;
    private final DeferredIndexing deferred;
    private final Clock clock;

    IndexedCommit(Storage storage, GroupCommit groupCommit, DeferredIndexing deferred, Clock clock) {
        this.storage = storage;
        this.groupCommit = groupCommit;
        this.deferred = deferred;
        this.clock = clock;
    }

    /**
     * @param current          the instance's row as found under its UID's lock, if any
     * @param replacesUnindexed an object with other bytes lies at the key with no row (journaled, not yet replayed)
     */
    StoredObject commit(Arrival in, Optional<StoredInstance> current, boolean replacesUnindexed)
            throws IngestException, IOException {
        boolean inPlace = replacesUnindexed
                || current.map(c -> c.record().storageKey().equals(in.key().path())).orElse(false);
        // An in-place replacement (policy replace) keeps the previous bytes aside first, durably: until the new
        // version is recorded, a crash or an index failure puts them back (issue 14). A first store never pays it.
        PreviousCopy previous = inPlace ? storage.keepPrevious(in.key()) : PreviousCopy.NONE;
        StorageCommit visible = StorageCommit.start(in.staged(), inPlace ? ReplacementFaults::afterStorageReplaced : null);
        boolean recorded = false;
        try {
            InstanceRecord record = in.record(in.staged().length(), in.staged().sha256(), clock.millis());
            Optional<InstanceRecord> movedAway = recordInIndex(in, record, current, visible, previous);
            recorded = true; // in the index or the journal: the new version stands
            if (previous != PreviousCopy.NONE) {
                ReplacementFaults.afterRecorded();
            }
            StoredObject object = visible.await();
            if (movedAway.isPresent()) {
                storage.delete(new StorageKey(movedAway.get().storageKey()));
            }
            return object;
        } catch (StorageCommit.Failure e) {
            visible.settle();
            restore(previous, in.key()); // not visible everywhere, not indexed: the previous version goes back
            throw e.getCause(); // reported as the storage's failure, as before
        } finally {
            visible.settle(); // on every path: the staged object is closed after this returns
            if (recorded) {
                drop(previous, in.key());
            }
        }
    }

    /** @return the record it replaced under another storage key, else empty (also when journaled) */
    private Optional<InstanceRecord> recordInIndex(Arrival in, InstanceRecord record, Optional<StoredInstance> current,
                                                   StorageCommit visible, PreviousCopy previous)
            throws IngestException, IOException {
        StorageKey key = in.key();
        StoredInstance existing = current.orElse(null);
        try {
            if (previous != PreviousCopy.NONE) {
                ReplacementFaults.beforeIndexRecord();
            }
            // Returns once the transaction holding it committed; the look-up under the UID's lock stands for
            // the transaction's own, so the index is asked once.
            return groupCommit.record(in.header(), record, current, visible);
        } catch (IndexException e) {
            visible.await(); // the index failed: what happened in storage decides what follows
            if (deferred != null) {
                deferred.indexFailed(e);
                try {
                    journal(deferred, record);
                } catch (IngestException notJournaled) {
                    undo(previous, key, existing);
                    throw notJournaled;
                }
                return Optional.empty();
            }
            undo(previous, key, existing);
            throw new IngestException(IngestException.Kind.INDEX_FAILURE, "index unavailable: " + e.getMessage(), e);
        } catch (SeriesInOtherStudyException e) {
            visible.await();
            undo(previous, key, existing); // refused, not misfiled: what this call put in storage goes
            log.warn("refused instance {}: {}", record.sopUid(), e.getMessage());
            // The Error Comment is 64 characters (LO): the Offending Element names the series, this its study.
            throw new IngestException(IngestException.Kind.SERIES_IN_OTHER_STUDY, "series is in study " + e.indexedStudyUid(),
                    Tag.SeriesInstanceUID, e);
        }
    }

    /**
     * Policy replace while the index is down: the previous bytes are kept aside until the journal records the
     * new ones, and put back when it cannot (a crash meanwhile: the next start puts them back, issue 14).
     */
    StoredObject replaceWhileDeferred(Arrival in) throws IngestException, IOException {
        PreviousCopy previous = storage.keepPrevious(in.key());
        StoredObject object;
        try {
            object = in.staged().commit();
            ReplacementFaults.afterStorageReplaced();
            IndexedCommit.journal(deferred, in.record(object.length(), object.sha256(), clock.millis()));
            ReplacementFaults.afterRecorded();
        } catch (IngestException | IOException | RuntimeException e) {
            try {
                previous.restore();
            } catch (IOException notRestored) {
                e.addSuppressed(notRestored); // still kept aside: the next start restores it
            }
            throw e;
        }
        try {
            previous.discard();
        } catch (IOException e) {
            log.warn("could not drop the previous copy of replaced {}; the next start drops it: {}", in.key(), e.toString());
        }
        return object;
    }

    /** Takes back what this call made visible: the previous version where it replaced one, else nothing at all. */
    private void undo(PreviousCopy previous, StorageKey key, StoredInstance existing) throws IOException {
        if (previous != PreviousCopy.NONE) {
            restore(previous, key);
        } else if (existing == null || !existing.record().storageKey().equals(key.path())) {
            storage.delete(key);
        }
    }

    private static void restore(PreviousCopy previous, StorageKey key) {
        try {
            previous.restore();
        } catch (IOException e) {
            // Still kept aside: the recovery at the next start puts it back (the index does not name the new bytes).
            log.error("could not put back the previous version of {} after a failed replacement; the next start"
                    + " restores it: {}", key, e.toString());
        }
    }

    private static void drop(PreviousCopy previous, StorageKey key) {
        try {
            previous.discard();
        } catch (IOException e) {
            log.warn("could not drop the previous copy of replaced {}; the next start drops it: {}", key, e.toString());
        }
    }

    static void journal(DeferredIndexing deferred, InstanceRecord record) throws IngestException {
        try {
            deferred.defer(record);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.INDEX_FAILURE, "neither the index nor the ingest journal"
                    + " can record the instance: " + e.getMessage(), e);
        }
    }
}
