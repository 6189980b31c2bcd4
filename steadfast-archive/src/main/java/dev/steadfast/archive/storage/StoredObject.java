package dev.steadfast.archive.storage;

/**
 * An object as written: its key, the SHA-256 of its bytes (lowercase hex) and its length.
 */
public record StoredObject(StorageKey key, String sha256, long length) {
}
