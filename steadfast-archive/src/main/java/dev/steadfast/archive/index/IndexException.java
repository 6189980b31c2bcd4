package dev.steadfast.archive.index;

/**
 * The index could not complete a transaction: the database is unreachable, retries of a
 * transient failure ran out, or the SQL failed. Nothing of the transaction was committed.
 */
public final class IndexException extends RuntimeException {
    private final boolean transientFailure;

    public IndexException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True when retrying later may succeed (database busy or unreachable). */
    public boolean isTransient() { return transientFailure; }
}
