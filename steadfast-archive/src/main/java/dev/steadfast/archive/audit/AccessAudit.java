package dev.steadfast.archive.audit;

import dev.steadfast.archive.audit.AuditEvents.Actor;
import dev.steadfast.archive.audit.AuditEvents.StudyRef;
import dev.steadfast.archive.ingest.StoreResult;

import java.util.Map;

/**
 * What the front doors (DIMSE and DICOMweb) tell the audit trail: who stored, read, deleted or was refused
 * what. One interface for both doors, so an access is audited the same way whichever way it came.
 */
public interface AccessAudit {
    /** Audits nothing. */
    AccessAudit NONE = new AccessAudit() {
        @Override
        public void stored(Actor source, StoreResult stored) {}

        @Override
        public void queried(Actor requestor, String what, byte[] query, boolean failed) {}

        @Override
        public void retrieved(Actor requestor, Actor destination, java.util.List<StudyRef> studies, boolean failed,
                              String outcome) {}

        @Override
        public void viewed(Actor requestor, String studyUid, String what) {}

        @Override
        public void deleted(Actor user, StudyRef study, String reason) {}

        @Override
        public void authentication(Actor user, boolean success, String outcome) {}

        @Override
        public void refused(Actor who, boolean nodeAuthentication, String what, Map<String, String> details) {}
    };

    /** An instance accepted from {@code source}; instances of one study from one source are audited together. */
    void stored(Actor source, StoreResult stored);

    /** A query: {@code what} is the information model's SOP Class UID or the QIDO resource, {@code query} as sent. */
    void queried(Actor requestor, String what, byte[] query, boolean failed);

    /** Instances sent to {@code destination} (WADO-RS: the requestor itself): one message per study. */
    void retrieved(Actor requestor, Actor destination, java.util.List<StudyRef> studies, boolean failed, String outcome);

    /**
     * Part of a study read by a viewer (frames, rendered images, thumbnails, metadata, bulk data, WADO-URI): many
     * small requests, gathered per requestor and study into one "DICOM Instances Transferred" (read) message.
     */
    void viewed(Actor requestor, String studyUid, String what);

    void deleted(Actor user, StudyRef study, String reason);

    void authentication(Actor user, boolean success, String outcome);

    /** A request refused by a security rule (a permission, a certificate, content under a stored UID). */
    void refused(Actor who, boolean nodeAuthentication, String what, Map<String, String> details);

    /**
     * Stored instances' attributes corrected (issue 18: the admin API's study corrections, HL7 ADT
     * updates and merges). {@code attributes} names tags, never values; {@code how} says by what
     * ("PATCH /api/studies", "HL7 ADT^A08").
     *
     * @param studyUid the study corrected, or null for a patient-wide update (HL7)
     */
    default void corrected(Actor who, String studyUid, String patientId, java.util.List<String> attributes, String how) {
    }

    /**
     * A Modality Performed Procedure Step created ({@code action} 'C') or updated ('U') (issue 18),
     * or refused ({@code failed}, with the reason). Identifiers only: the step, its study, accession
     * number and Patient ID.
     */
    default void procedureRecorded(Actor modality, char action, String mppsUid, String studyUid, String accession, String patientId,
                                   String status, boolean failed, String outcome) {
    }
}
