package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.iocm.Rejections;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Records one stored instance in the index, inside the caller's write transaction: the same
 * for live ingest, the ingest journal's replay and reindex. Idempotent: recording an instance
 * already indexed with the same bytes at the same key changes nothing, so a replay that is
 * interrupted and run again indexes each instance exactly once.
 */
public final class IndexWriter {
    private IndexWriter() {}

    /**
     * @param header the instance's header (everything before Pixel Data)
     * @return the record this one replaced when its bytes lived under another storage key (the
     *         caller removes those), else empty
     */
    public static Optional<InstanceRecord> record(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
        return record(tx, header, record, tx.instances().find(record.sopUid()));
    }

    /**
     * As {@link #record(Tx, Dataset, InstanceRecord)}, with the instance's current row already
     * known to the caller (live ingest looks it up once, under the UID's lock). Should another
     * writer have changed it since, the insert (unique SOP Instance UID) or the replace (no such
     * row) fails the transaction: never a silent overwrite.
     */
    public static Optional<InstanceRecord> record(Tx tx, Dataset header, InstanceRecord record,
                                                  Optional<StoredInstance> current) throws SQLException {
        if (current.isPresent() && current.get().record().sha256().equals(record.sha256())
                && current.get().record().storageKey().equals(record.storageKey())) {
            return Optional.empty(); // already recorded
        }
        if (current.isEmpty() && Rejections.hideOnArrival(tx, record)) {
            return Optional.empty(); // a rejection note named it before it came (issue 18, IOCM): kept hidden
        }
        long patientId = tx.patients().upsert(IndexedAttributes.patient(header),
                IndexedAttributes.uid(header, Tag.StudyInstanceUID));
        long studyId = tx.studies().upsert(patientId, IndexedAttributes.study(header));
        var series = tx.series().upsertSeries(studyId, IndexedAttributes.series(header), record.sopUid());
        long seriesId = series.id();
        Optional<InstanceRecord> movedAway = Optional.empty();
        if (current.isEmpty()) {
            tx.instances().insert(seriesId, record);
        } else {
            tx.instances().replace(seriesId, record);
            tx.instances().recordReplacement(current.get().record(), record);
            if (current.get().seriesId() != seriesId) {
                long oldStudy = tx.series().studyOf(current.get().seriesId());
                tx.series().deleteOrphans();
                tx.studies().refreshModalities(oldStudy);
                tx.studies().deleteOrphans();
                tx.patients().deleteOrphans();
            }
            if (!current.get().record().storageKey().equals(record.storageKey())) {
                movedAway = Optional.of(current.get().record());
            }
        }
        // ModalitiesInStudy derives from the study's series: unchanged when this instance's series row is
        // (the usual case, the next instance of a known series), so its two statements are skipped (issue 19).
        if (series.changed() || current.isPresent()) {
            tx.studies().refreshModalities(studyId);
        }
        Rejections.applyIfNote(tx, header, record); // IOCM: a rejection note hides what it references, same transaction
        tx.events().instanceRecorded(tx, header, record); // e.g. forwarding queues: same transaction, never missed
        return movedAway;
    }
}
