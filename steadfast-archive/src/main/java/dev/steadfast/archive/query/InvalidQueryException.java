package dev.steadfast.archive.query;

/** The request cannot be answered as asked (level not in the model, malformed range...). */
public final class InvalidQueryException extends RuntimeException {
    public InvalidQueryException(String message) {
        super(message);
    }
}
