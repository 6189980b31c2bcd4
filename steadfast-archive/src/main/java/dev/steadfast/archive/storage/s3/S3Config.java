package dev.steadfast.archive.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One S3-compatible storage target.
 *
 * @param endpoint        the store's URL; null for AWS itself (region decides)
 * @param region          signing region (default us-east-1; most S3-compatible stores ignore it)
 * @param bucket          the bucket, which must exist
 * @param prefix          prepended to every key, e.g. {@code "archive/"}; may be empty
 * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 *                        (most self-hosted stores need path style; AWS prefers virtual-host)
 * @param accessKeyId     credentials; null for the standard AWS chain (environment variables
 *                        {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profile, instance role)
 * @param secretAccessKey never logged
 * @param partSize        objects of at least this many bytes go up as multipart uploads in parts of
 *                        this size (default 8 MiB, at least 5 MiB as S3 requires)
 * @param timeout         limit for one request attempt, so a dead store fails fast (default 30 s)
 * @param immutable       never overwrite an object: conditional writes ({@code If-None-Match: *})
 * @param retentionDays   when > 0, Object Lock retention (COMPLIANCE) of this many days on every
 *                        object; the bucket must have Object Lock enabled
 */
public record S3Config(URI endpoint, String region, String bucket, String prefix, boolean pathStyle,
                       String accessKeyId, String secretAccessKey, long partSize, Duration timeout,
                       boolean immutable, int retentionDays) {
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

    public S3Config {
        Objects.requireNonNull(bucket, "bucket");
        region = region == null || region.isBlank() ? "us-east-1" : region;
        prefix = prefix == null ? "" : prefix;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, not " + partSize);
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("give both S3 access key id and secret, or neither");
        }
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retentionDays must be >= 0");
        }
    }

    /** A self-hosted store at {@code endpoint} with static credentials and the defaults. */
    public static S3Config of(URI endpoint, String bucket, String accessKeyId, String secretAccessKey) {
        return new S3Config(endpoint, null, bucket, "", true, accessKeyId, secretAccessKey, DEFAULT_PART_SIZE,
                null, false, 0);
    }

    public S3Config withPathStyle(boolean on) {
        return new S3Config(endpoint, region, bucket, prefix, on, accessKeyId, secretAccessKey, partSize, timeout,
                immutable, retentionDays);
    }

    public S3Config withPartSize(long bytes) {
        return new S3Config(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey, bytes, timeout,
                immutable, retentionDays);
    }

    public S3Config withPrefix(String p) {
        return new S3Config(endpoint, region, bucket, p, pathStyle, accessKeyId, secretAccessKey, partSize, timeout,
                immutable, retentionDays);
    }

    public S3Config withTimeout(Duration t) {
        return new S3Config(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey, partSize, t,
                immutable, retentionDays);
    }

    public S3Config withImmutability(boolean on, int days) {
        return new S3Config(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey, partSize,
                timeout, on, days);
    }

    @Override
    public String toString() {
        return "S3Config[" + (endpoint == null ? "aws " + region : endpoint) + ", bucket=" + bucket + ", prefix="
                + prefix + ", pathStyle=" + pathStyle + ", credentials="
                + (accessKeyId == null ? "AWS default chain" : accessKeyId + "/***") + "]";
    }
}
