package dev.steadfast.archive.ingest;

import dev.steadfast.archive.storage.StorageKey;

/**
 * What happened to an instance that was accepted. Every outcome means its bytes are durable
 * and indexed.
 *
 * @param sha256 SHA-256 of the stored Part 10 object
 * @param size   length of the stored Part 10 object
 * @param patientId   Patient ID of the stored instance, for the audit trail (never for operational logs); may be null
 * @param patientName Patient's Name as stored, for the audit trail; may be null
 */
public record StoreResult(Outcome outcome, String sopClassUid, String sopInstanceUid, String studyUid,
                          String seriesUid, StorageKey key, String sha256, long size, String patientId, String patientName) {

    public StoreResult(Outcome outcome, String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid,
                       StorageKey key, String sha256, long size) {
        this(outcome, sopClassUid, sopInstanceUid, studyUid, seriesUid, key, sha256, size, null, null);
    }

    public enum Outcome {
        /** A new instance. */
        STORED,
        /** Sent again with identical data set bytes: nothing changed. */
        IDENTICAL_DUPLICATE,
        /** Sent again with different bytes, which replaced the stored ones (recorded). */
        REPLACED,
        /** Sent again with different bytes, which were discarded (policy KEEP_FIRST). */
        KEPT_FIRST;

        /** Whether the sender deserves a warning rather than plain success ({@link IngestOutcome}). */
        public boolean isWarning() { return IngestOutcome.of(this).isWarning(); }
    }
}
