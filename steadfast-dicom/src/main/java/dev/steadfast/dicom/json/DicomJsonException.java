package dev.steadfast.dicom.json;

import java.io.IOException;

/** Malformed JSON, or JSON that is not a valid DICOM JSON model; says where, when it knows. */
public final class DicomJsonException extends IOException {
    private final long position;

    public DicomJsonException(String problem, long position) {
        super(position >= 0 ? problem + " at character " + position : problem);
        this.position = position;
    }

    /** Character offset in the input (0-based), -1 when the problem is not tied to one place. */
    public long position() { return position; }
}
