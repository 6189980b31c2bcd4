package dev.steadfast.server.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * One storage target of {@code serve}: where instances are kept. Built by {@link StorageTargetSpecs}
 * from {@code storage.targets}; the node turns it into a running target.
 */
public sealed interface StorageTargetConfig {
    /** Name in {@code /health}, {@code /metrics} and logs ({@code fs:PATH}, {@code s3:BUCKET/PREFIX}). */
    String name();

    /** Whether committed objects may never be overwritten or deleted outside the audited path. */
    boolean immutable();

    /** A folder on a local or mounted filesystem. */
    record FileSystem(Path path, boolean immutable) implements StorageTargetConfig {
        public FileSystem {
            ConfigException.check(path != null, "storage.targets", "a filesystem target needs a path");
        }

        @Override
        public String name() {
            return "fs:" + path;
        }
    }

    /**
     * An S3-compatible bucket.
     *
     * @param endpoint        the store's URL; null for AWS itself
     * @param accessKeyId     null: the standard AWS chain (environment, profile, instance role)
     * @param secretAccessKey never logged: {@link #toString()} hides it
     * @param retentionDays   with {@code immutable}: Object Lock retention in days (0: conditional writes only)
     */
    record S3(URI endpoint, String region, String bucket, String prefix, boolean pathStyle, String accessKeyId,
              String secretAccessKey, boolean immutable, int retentionDays) implements StorageTargetConfig {
        public S3 {
            ConfigException.check(bucket != null && !bucket.isBlank(), "storage.targets", "an s3 target needs a bucket");
            ConfigException.check((accessKeyId == null) == (secretAccessKey == null), "storage.targets",
                    "s3 target " + bucket + ": give both access-key-id and secret-access-key, or neither (AWS environment)");
            ConfigException.check(retentionDays >= 0, "storage.targets", "s3 target " + bucket + ": retention-days must not be negative");
            prefix = prefix == null ? "" : prefix;
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix += "/";
            }
        }

        @Override
        public String name() {
            return "s3:" + bucket + "/" + prefix;
        }

        @Override
        public String toString() {
            return "S3[" + (endpoint == null ? "aws " + region : endpoint) + ", bucket=" + bucket + ", prefix=" + prefix
                    + ", pathStyle=" + pathStyle + ", credentials=" + (accessKeyId == null ? "AWS environment" : accessKeyId + "/***")
                    + ", immutable=" + immutable + "]";
        }
    }
}
