package dev.steadfast.archive.ingest;

import dev.steadfast.dicom.Tag;

/**
 * An instance was not stored, and nothing of it is visible. The {@link Kind} says why in the
 * archive's terms; one table (with the DIMSE and DICOMweb front doors) maps kinds to status
 * codes. The message is safe to send back as an error comment: it names no patient data.
 */
public final class IngestException extends Exception {

    /** Why an instance was not stored. */
    public enum Kind {
        /** The data set cannot be parsed (DIMSE C000-range, "cannot understand"). */
        CANNOT_UNDERSTAND,
        /** A required attribute (Study, Series or SOP Instance UID) is missing or empty. */
        MISSING_ATTRIBUTE,
        /** Different bytes for a stored instance, and the policy is REJECT. */
        DUPLICATE_REJECTED,
        /** A rejection note (IOCM, issue 18) rejected this instance after it was stored: it must not come back. */
        INSTANCE_REJECTED,
        /** Its Series Instance UID is indexed under another study (a series belongs to one study). */
        SERIES_IN_OTHER_STUDY,
        /** Storage is full or unwritable (DIMSE A700). */
        OUT_OF_RESOURCES,
        /** The index could not record the instance. */
        INDEX_FAILURE,
        /** The incoming stream broke before its end (the sender went away). */
        INPUT_FAILURE
    }

    private final Kind kind;
    private final int offendingTag;

    public IngestException(Kind kind, String message, int offendingTag, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.offendingTag = offendingTag;
    }

    public IngestException(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, cause);
    }

    public Kind kind() { return kind; }

    /** The attribute at fault, 0 when none in particular. */
    public int offendingTag() { return offendingTag; }

    @Override
    public String toString() {
        return "IngestException[" + kind + (offendingTag != 0 ? " " + Tag.toString(offendingTag) : "") + "]: "
                + getMessage();
    }
}
