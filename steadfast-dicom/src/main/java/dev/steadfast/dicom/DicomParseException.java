package dev.steadfast.dicom;

import java.io.IOException;

/**
 * The one exception a malformed DICOM stream ends in: what is wrong, and at which byte
 * offset of the (inflated, for deflate) stream it was found.
 */
public final class DicomParseException extends IOException {
    private final long offset;

    public DicomParseException(String problem, long offset) {
        super(problem + " at byte offset " + offset);
        this.offset = offset;
    }

    public DicomParseException(String problem, long offset, Throwable cause) {
        super(problem + " at byte offset " + offset, cause);
        this.offset = offset;
    }

    /** Offset from the start of the stream (after inflation for deflated syntaxes), -1 if unknown. */
    public long offset() {
        return offset;
    }
}
