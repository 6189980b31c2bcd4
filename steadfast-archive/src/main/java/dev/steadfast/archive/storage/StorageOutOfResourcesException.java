package dev.steadfast.archive.storage;

/**
 * The target cannot take the object: disk full, below its free-space reserve, quota
 * exceeded, read-only or otherwise unwritable. Nothing of the failed write is visible.
 * DIMSE answers A700 (Refused: Out of Resources).
 */
public final class StorageOutOfResourcesException extends StorageException {
    public StorageOutOfResourcesException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageOutOfResourcesException(String message) {
        super(message);
    }
}
