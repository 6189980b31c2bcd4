package dev.steadfast.archive.forward;

import dev.steadfast.archive.index.IndexEvents;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts what the rules select into the queues, inside the transaction that indexes the instance
 * (live ingest and the ingest journal's replay alike) or records a study's deletion: what the index
 * holds and what the queues hold never disagree, whatever crashes when.
 *
 * @param deletingDestinations destinations that can delete (other Steadfast archives): a deleted
 *                             study is queued there as a deletion; DICOM and DICOMweb have no way to
 *                             delete, so nothing is queued for them (docs/DEPLOYMENT.md)
 */
public record ForwardRouting(List<ForwardRule> rules, Set<String> deletingDestinations, Clock clock) implements IndexEvents {
    public ForwardRouting {
        rules = List.copyOf(rules);
        deletingDestinations = Set.copyOf(deletingDestinations);
    }

    @Override
    public void instanceRecorded(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
        Set<String> destinations = new LinkedHashSet<>();
        for (ForwardRule r : rules) {
            if (r.matches(header, record.callingAe())) {
                destinations.add(r.destination());
            }
        }
        if (destinations.isEmpty()) {
            return;
        }
        ForwardQueue q = new ForwardQueue(tx);
        long now = clock.millis();
        for (String d : destinations) {
            q.enqueueStore(d, header.getString(Tag.StudyInstanceUID), header.getString(Tag.SeriesInstanceUID),
                    record.sopUid(), record.sopClassUid(), record.transferSyntax(), now);
        }
    }

    @Override
    public void studyDeleted(Tx tx, String studyUid, String reason) throws SQLException {
        ForwardQueue q = new ForwardQueue(tx);
        long now = clock.millis();
        q.dropStoresOfStudy(studyUid, now);
        for (String d : deletingDestinations) {
            q.enqueueDelete(d, studyUid, reason, now);
        }
    }
}
