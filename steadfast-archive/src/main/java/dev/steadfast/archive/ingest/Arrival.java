package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.ingest.StoreResult.Outcome;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

import java.io.IOException;

/** An instance whose bytes are staged (written, not yet durable nor visible: its commit does both), with what the decision and the index need. */
record Arrival(Dataset header, String sopUid, String sopClassUid, String studyUid, String seriesUid,
               StorageKey key, String transferSyntax, String datasetSha, String callingAe,
               Storage.Staged staged, boolean pixelData) {

    DuplicateDecision.Version version() {
        return new DuplicateDecision.Version(datasetSha, transferSyntax, key.path());
    }

    /** Its index row, for bytes of {@code length} with object digest {@code sha256}, received at {@code receivedAt}. */
    InstanceRecord record(long length, String sha256, long receivedAt) throws IOException {
        return new InstanceRecord(sopUid, sopClassUid, IndexedAttributes.integer(header, Tag.InstanceNumber),
                transferSyntax, key.path(), length, sha256, datasetSha, receivedAt, callingAe,
                Metadata.encode(header), pixelData);
    }

    StoreResult result(Outcome outcome, StorageKey at, String sha, long size) {
        return new StoreResult(outcome, sopClassUid, sopUid, studyUid, seriesUid, at, sha, size,
                header.getString(Tag.PatientID), header.getString(Tag.PatientName));
    }
}
