package dev.steadfast.server.config;

import dev.steadfast.archive.storage.replica.WritePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where instances are kept and how their copies are looked after.
 *
 * @param targets            one or more targets, in read preference order
 * @param writePolicy        {@code all} or {@code N of M}: copies that must be durable before an acknowledgement
 * @param minFreeBytes       filesystem targets refuse writes (A700) when less space than this is left, so the
 *                           disk never fills up to the last byte under the index and the logs
 * @param healthInterval     how often each target is probed (also on every {@code /health} request)
 * @param repairInterval     how often copies that a target missed are written to it; zero: off
 * @param scrubInterval      how often every object is re-read and verified; zero: off
 * @param scrubObjectsPerSecond pace of repair and scrub, 0 for no limit
 * @param scrubBytesPerSecond   pace of repair and scrub, 0 for no limit
 */
public record StorageConfig(List<StorageTargetConfig> targets, WritePolicy writePolicy, long minFreeBytes, Duration healthInterval,
                            Duration repairInterval, Duration scrubInterval, double scrubObjectsPerSecond,
                            long scrubBytesPerSecond) {
    public StorageConfig {
        targets = List.copyOf(targets);
        ConfigException.check(!targets.isEmpty(), "storage.targets", "at least one target is needed");
        ConfigException.check(minFreeBytes >= 0, "storage.min-free-mb", "must not be negative");
        ConfigException.check(!healthInterval.isNegative() && !healthInterval.isZero(), "storage.health-interval-seconds", "must be positive");
        ConfigException.check(!repairInterval.isNegative(), "storage.repair-interval-seconds", "must not be negative");
        ConfigException.check(!scrubInterval.isNegative(), "storage.scrub-interval-hours", "must not be negative");
        ConfigException.check(scrubObjectsPerSecond >= 0, "storage.scrub-objects-per-second", "must not be negative");
        ConfigException.check(scrubBytesPerSecond >= 0, "storage.scrub-mb-per-second", "must not be negative");
    }

    /** The folder of the first filesystem target, or null when every target is S3. */
    public Path path() {
        return targets.stream().filter(t -> t instanceof StorageTargetConfig.FileSystem)
                .map(t -> ((StorageTargetConfig.FileSystem) t).path()).findFirst().orElse(null);
    }
}
