package dev.steadfast.archive.ingest;

/**
 * The one table of ingest outcomes: for each, the C-STORE status (PS3.4 B.2.3, PS3.7 C) the DIMSE
 * front door answers, and the HTTP status and STOW-RS Failure or Warning Reason (PS3.18 10.5.3)
 * the DICOMweb front door reports. Plain ints, so the archive knows neither PDUs nor HTTP; the
 * conformance statement lists the same rows (checked by {@code IngestOutcomeDocTest}).
 *
 * <p>{@link #httpStatus} is the status of a STOW-RS request whose every instance ended this way;
 * a request with mixed outcomes is 202 (PS3.18 10.5.3).
 */
public enum IngestOutcome {
    STORED(0x0000, 200, StowReason.NONE, "stored: a new instance"),
    IDENTICAL_DUPLICATE(0x0000, 200, StowReason.NONE, "re-sent with identical data set bytes: nothing changes"),
    REPLACED(0x0000, 200, StowReason.NONE, "re-sent with different bytes, policy replace: the new bytes replace the"
            + " stored ones, recorded and logged"),
    KEPT_FIRST(0xB006, 202, StowReason.WARNING, "re-sent with different bytes, policy keep-first: the new bytes are"
            + " discarded (Elements Discarded), logged"),
    DUPLICATE_REJECTED(0x0111, 409, StowReason.FAILURE, "re-sent with different bytes, policy reject (the default):"
            + " refused (Duplicate SOP Instance), logged"),
    INSTANCE_REJECTED(0x0124, 409, StowReason.FAILURE, "a rejection note (IOCM) rejected this SOP Instance UID after it"
            + " was stored: a re-send is refused (Refused: Not Authorized), logged"),
    SERIES_IN_OTHER_STUDY(0xC409, 409, StowReason.FAILURE, "its Series Instance UID is indexed under another study:"
            + " refused (a series belongs to one study), logged"),
    CANNOT_UNDERSTAND(0xC000, 409, StowReason.FAILURE, "the data set cannot be parsed"),
    MISSING_ATTRIBUTE(0xA900, 409, StowReason.FAILURE, "Study, Series or SOP Instance UID missing or empty"
            + " (Data Set does not match SOP Class)"),
    OUT_OF_RESOURCES(0xA700, 503, StowReason.FAILURE, "storage full or unwritable on so many targets that the write"
            + " policy cannot be met: try again later"),
    INDEX_FAILURE(0xA700, 503, StowReason.FAILURE, "the index cannot record the instance and no ingest journal"
            + " is configured: try again later"),
    INPUT_FAILURE(0x0110, 400, StowReason.FAILURE, "the incoming stream broke before the data set's end"
            + " (Processing Failure; usually unseen, the sender went away)");

    /** Which STOW-RS attribute carries the code: none, Warning Reason (0008,1196), Failure Reason (0008,1197). */
    public enum StowReason { NONE, WARNING, FAILURE }

    private final int dimseStatus;
    private final int httpStatus;
    private final StowReason stowReason;
    private final String meaning;

    IngestOutcome(int dimseStatus, int httpStatus, StowReason stowReason, String meaning) {
        this.dimseStatus = dimseStatus;
        this.httpStatus = httpStatus;
        this.stowReason = stowReason;
        this.meaning = meaning;
    }

    /** The C-STORE response status. */
    public int dimseStatus() { return dimseStatus; }

    /** The HTTP status of a STOW-RS request whose every instance ends this way. */
    public int httpStatus() { return httpStatus; }

    public StowReason stowReason() { return stowReason; }

    /** The Failure or Warning Reason code STOW-RS reports: the DIMSE status, as PS3.18 takes them from PS3.4. */
    public int stowReasonCode() { return dimseStatus; }

    public String meaning() { return meaning; }

    /** Whether the sender gets a warning: stored, but not as sent. */
    public boolean isWarning() { return stowReason == StowReason.WARNING; }

    public boolean isFailure() { return stowReason == StowReason.FAILURE; }

    /** The row of an accepted instance. */
    public static IngestOutcome of(StoreResult.Outcome outcome) {
        return switch (outcome) {
            case STORED -> STORED;
            case IDENTICAL_DUPLICATE -> IDENTICAL_DUPLICATE;
            case REPLACED -> REPLACED;
            case KEPT_FIRST -> KEPT_FIRST;
        };
    }

    /** The row of a refused instance. */
    public static IngestOutcome of(IngestException.Kind kind) {
        return switch (kind) {
            case CANNOT_UNDERSTAND -> CANNOT_UNDERSTAND;
            case MISSING_ATTRIBUTE -> MISSING_ATTRIBUTE;
            case DUPLICATE_REJECTED -> DUPLICATE_REJECTED;
            case INSTANCE_REJECTED -> INSTANCE_REJECTED;
            case SERIES_IN_OTHER_STUDY -> SERIES_IN_OTHER_STUDY;
            case OUT_OF_RESOURCES -> OUT_OF_RESOURCES;
            case INDEX_FAILURE -> INDEX_FAILURE;
            case INPUT_FAILURE -> INPUT_FAILURE;
        };
    }
}
