package dev.steadfast.archive.storage;

import java.io.IOException;

/** A storage target failed to read, write or delete an object. */
public class StorageException extends IOException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
