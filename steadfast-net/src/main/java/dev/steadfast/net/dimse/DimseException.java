package dev.steadfast.net.dimse;

/**
 * The one way a service reports failure: the status to answer, an error comment (at most 64
 * characters are sent) and, when one element is at fault, its tag.
 */
public class DimseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Status status;
    private final int offendingElement;
    private int errorId = -1;

    public DimseException(Status status, String errorComment) {
        this(status, errorComment, -1, null);
    }

    public DimseException(Status status, String errorComment, int offendingElement) {
        this(status, errorComment, offendingElement, null);
    }

    public DimseException(Status status, String errorComment, int offendingElement, Throwable cause) {
        super(errorComment, cause);
        this.status = status;
        this.offendingElement = offendingElement;
    }

    public Status status() {
        return status;
    }

    public String errorComment() {
        return getMessage();
    }

    /** Adds the Error ID (0000,0903) a service class defines for this failure, e.g. PS3.4 Table F.7.2-2's A710. */
    public DimseException withErrorId(int id) {
        this.errorId = id;
        return this;
    }

    /** The Error ID to send, or -1 for none. */
    public int errorId() {
        return errorId;
    }

    /** Tag of the offending element, or -1. */
    public int offendingElement() {
        return offendingElement;
    }
}
