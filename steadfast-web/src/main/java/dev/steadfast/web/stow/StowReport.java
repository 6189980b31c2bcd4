package dev.steadfast.web.stow;

import dev.steadfast.archive.ingest.IngestOutcome;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.web.wado.Urls;

/** The STOW-RS response data set (PS3.18 Table 10.5.3-1), built as parts are stored. */
final class StowReport {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StowReport.class);
    private final Dataset ds = new Dataset();
    private final String baseUrl;
    private Sequence referenced;
    private Sequence failed;
    private final java.util.List<String> reasons = new java.util.ArrayList<>();
    private int storedCount;
    private int failedCount;
    private boolean anyWarning;
    private int failedHttpStatus; // 0 none yet; the common status of the failures so far, 409 when they differ

    StowReport(String baseUrl, String studyInPath) {
        this.baseUrl = baseUrl;
        if (studyInPath != null) {
            ds.setString(Tag.RetrieveURL, VR.UR, Urls.study(baseUrl, studyInPath));
        }
    }

    void stored(StoreResult r) {
        if (referenced == null) {
            referenced = ds.newSequence(Tag.ReferencedSOPSequence);
        }
        Dataset item = referenced.addItem();
        if (r.sopClassUid() != null) {
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
        }
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
        item.setString(Tag.RetrieveURL, VR.UR, Urls.instance(baseUrl, r.studyUid(), r.seriesUid(), r.sopInstanceUid()));
        IngestOutcome outcome = IngestOutcome.of(r.outcome());
        if (outcome.isWarning()) {
            item.setInt(Tag.WarningReason, VR.US, outcome.stowReasonCode());
            anyWarning = true;
            if (reasons.size() < 10) {
                reasons.add(r.sopInstanceUid() + ": " + outcome.meaning());
            }
        }
        if (!ds.contains(Tag.RetrieveURL)) {
            ds.setString(Tag.RetrieveURL, VR.UR, Urls.study(baseUrl, r.studyUid()));
        }
        storedCount++;
    }

    /** An instance ingest refused: its Failure Reason and HTTP status from the one outcome table. */
    void refused(String sopClass, String sop, IngestOutcome outcome, String why) {
        failed(sopClass, sop, outcome.stowReasonCode(), why, outcome.httpStatus());
    }

    /** An instance the web front door refused before ingest: 409 Conflict (PS3.18 10.5.3). */
    void failed(String sopClass, String sop, int reason, String why) {
        failed(sopClass, sop, reason, why, 409);
    }

    private void failed(String sopClass, String sop, int reason, String why, int httpStatus) {
        if (failedHttpStatus == 0) {
            failedHttpStatus = httpStatus;
        } else if (failedHttpStatus != httpStatus) {
            failedHttpStatus = 409;
        }
        if (failed == null) {
            failed = ds.newSequence(Tag.FailedSOPSequence);
        }
        Dataset item = failed.addItem();
        if (sopClass != null) {
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, sopClass);
        }
        if (sop != null) {
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        }
        item.setInt(Tag.FailureReason, VR.US, reason);
        failedCount++;
        if (reasons.size() < 10) {
            reasons.add((sop == null ? "part " + (storedCount + failedCount) : sop) + ": " + why);
        }
        log.info("STOW-RS instance {} failed ({}): {}", sop, String.format("%04X", reason), why);
    }

    /** Why instances failed (the first few), for Warning headers. */
    java.util.List<String> reasons() { return reasons; }

    int storedCount() { return storedCount; }

    int failedCount() { return failedCount; }

    /** The response status when nothing was stored: that of the failures when all agree, else 409. */
    int allFailedStatus() { return failedHttpStatus == 0 ? 409 : failedHttpStatus; }

    boolean anyWarning() { return anyWarning; }

    boolean isEmpty() { return storedCount + failedCount == 0; }

    Dataset dataset() { return ds; }
}
