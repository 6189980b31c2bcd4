package dev.steadfast.archive.storage;

/**
 * An immutable target refused to overwrite or delete an object outside the audited path.
 * Nothing changed. Ingest answers it like a full target (A700) unless the duplicate policy
 * keeps the first copy.
 */
public final class ImmutableObjectException extends StorageException {
    public ImmutableObjectException(String message) {
        super(message);
    }
}
