package dev.steadfast.archive.query;

/**
 * A query stopped by the archive's own limits, not by a fault in the request: it ran past the
 * configured time limit, or the query pool was full. C-FIND answers A700 (out of resources), QIDO
 * 503; the client may try again (later, or with narrower keys).
 */
public final class QueryLimitException extends RuntimeException {
    public enum Kind { TIMED_OUT, BUSY }

    private final Kind kind;

    public QueryLimitException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
