package dev.steadfast.web.stow;

import dev.steadfast.archive.ingest.IngestOutcome;

/**
 * The Failure Reason codes STOW-RS reports (PS3.18 Table 10.5.3-2, PS3.4 Annex B). Ingest outcomes
 * take theirs from the archive's one outcome table ({@link IngestOutcome}); the constants here are
 * the failures only the web front door finds, before ingest sees the instance.
 */
final class FailureReason {
    static final int CANNOT_UNDERSTAND = IngestOutcome.CANNOT_UNDERSTAND.stowReasonCode();
    /** Study Instance UID of the instance is not the one in the request path (as dcm4chee-arc reports it). */
    static final int STUDY_UID_MISMATCH = 0xC409;

    private FailureReason() {}
}
