package dev.steadfast.archive.query;

/**
 * The request cannot be answered as asked (level not in the model, invalid date, too many keys...).
 * {@link #offendingTag()} names the attribute at fault when there is one (C-FIND puts it in
 * Offending Element (0000,0901)), else -1.
 */
public final class InvalidQueryException extends RuntimeException {
    private final int offendingTag;

    public InvalidQueryException(String message) {
        this(message, -1);
    }

    public InvalidQueryException(String message, int offendingTag) {
        super(message);
        this.offendingTag = offendingTag;
    }

    /** The attribute at fault, or -1. */
    public int offendingTag() {
        return offendingTag;
    }
}
