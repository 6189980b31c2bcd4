package dev.steadfast.server.config;

import java.nio.file.Path;

/**
 * The filesystem storage target.
 *
 * @param path         directory holding the instances
 * @param minFreeBytes writes are refused (A700) when less space than this is left, so the disk
 *                     never fills up to the last byte under the index and the logs
 */
public record StorageConfig(Path path, long minFreeBytes) {
    public StorageConfig {
        ConfigException.check(path != null, "storage.path", "is required");
        ConfigException.check(minFreeBytes >= 0, "storage.min-free-mb", "must not be negative");
    }
}
