package dev.steadfast.archive.storage;

/**
 * One object as a listing sees it.
 *
 * @param lastModifiedMillis when it was written (epoch milliseconds), as the target reports it
 */
public record StorageEntry(StorageKey key, long size, long lastModifiedMillis) {
}
