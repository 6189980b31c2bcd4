package dev.steadfast.web.stow;

import dev.steadfast.archive.ingest.IngestException;

/** The FailureReason and WarningReason codes STOW-RS reports (PS3.18 Table 10.5.3-2, PS3.4 Annex B). */
final class FailureReason {
    static final int PROCESSING_FAILURE = 0x0110;
    static final int DUPLICATE_INSTANCE = 0x0111;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int CANNOT_UNDERSTAND = 0xC000;
    /** Study Instance UID of the instance is not the one in the request path (as dcm4chee-arc reports it). */
    static final int STUDY_UID_MISMATCH = 0xC409;
    /** Warning: the instance was already stored with other content, which was kept. */
    static final int WARNING_ELEMENTS_DISCARDED = 0xB006;

    private FailureReason() {}

    /** The one place where ingest failures become STOW-RS failure codes. */
    static int of(IngestException.Kind kind) {
        return switch (kind) {
            case CANNOT_UNDERSTAND, MISSING_ATTRIBUTE, INPUT_FAILURE -> CANNOT_UNDERSTAND;
            case DUPLICATE_REJECTED -> DUPLICATE_INSTANCE;
            case OUT_OF_RESOURCES -> OUT_OF_RESOURCES;
            case INDEX_FAILURE -> PROCESSING_FAILURE;
        };
    }
}
