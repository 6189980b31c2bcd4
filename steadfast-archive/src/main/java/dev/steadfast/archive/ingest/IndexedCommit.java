package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.SeriesInOtherStudyException;
import dev.steadfast.archive.index.StoredInstance;
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
 * visible is removed again and the store fails.
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

    /** @param current the instance's row as found under its UID's lock, if any */
    StoredObject commit(Arrival in, Optional<StoredInstance> current) throws IngestException, IOException {
        StorageCommit visible = StorageCommit.start(in.staged());
        try {
            InstanceRecord record = in.record(in.staged().length(), in.staged().sha256(), clock.millis());
            Optional<InstanceRecord> movedAway = recordInIndex(in, record, current, visible);
            StoredObject object = visible.await();
            if (movedAway.isPresent()) {
                storage.delete(new StorageKey(movedAway.get().storageKey()));
            }
            return object;
        } catch (StorageCommit.Failure e) {
            throw e.getCause(); // not visible, not indexed: reported as the storage's failure, as before
        } finally {
            visible.settle(); // on every path: the staged object is closed after this returns
        }
    }

    /** @return the record it replaced under another storage key, else empty (also when journaled) */
    private Optional<InstanceRecord> recordInIndex(Arrival in, InstanceRecord record, Optional<StoredInstance> current,
                                                   StorageCommit visible) throws IngestException, IOException {
        StorageKey key = in.key();
        StoredInstance existing = current.orElse(null);
        try {
            // Returns once the transaction holding it committed; the look-up under the UID's lock stands for
            // the transaction's own, so the index is asked once.
            return groupCommit.record(in.header(), record, current, visible);
        } catch (IndexException e) {
            visible.await(); // the index failed: what happened in storage decides what follows
            if (deferred != null) {
                deferred.indexFailed(e);
                journal(deferred, record);
                return Optional.empty();
            }
            if (existing == null || !existing.record().storageKey().equals(key.path())) {
                storage.delete(key);
            } else {
                log.error("index failed after instance {} was replaced in storage; stored bytes now differ from the"
                        + " index until the next ingest or reindex", key);
            }
            throw new IngestException(IngestException.Kind.INDEX_FAILURE, "index unavailable: " + e.getMessage(), e);
        } catch (SeriesInOtherStudyException e) {
            visible.await();
            // Refused, not misfiled: what this call put in storage goes.
            if (existing == null || !existing.record().storageKey().equals(key.path())) {
                storage.delete(key);
            } else {
                log.error("instance {} was replaced in storage before its index record was refused; stored bytes now differ"
                        + " from the index until the next ingest or reindex", key);
            }
            log.warn("refused instance {}: {}", record.sopUid(), e.getMessage());
            // The Error Comment is 64 characters (LO): the Offending Element names the series, this its study.
            throw new IngestException(IngestException.Kind.SERIES_IN_OTHER_STUDY, "series is in study " + e.indexedStudyUid(),
                    Tag.SeriesInstanceUID, e);
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
