package dev.steadfast.archive.storage.s3;

import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageEntry;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.PreviousCopy;
import dev.steadfast.archive.storage.StorageKey;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A storage target in an S3-compatible object store (AWS SDK v2, blocking client). Keys map to
 * {@code prefix + key}; the SHA-256 of each object rides along as user metadata
 * ({@code x-amz-meta-sha256}) and each request body carries its own checksum, which the store
 * verifies before accepting it. Small objects go up in one PUT, large ones as a multipart
 * upload completed at commit, so a reader never sees a part.
 */
public final class S3Storage implements Storage, AutoCloseable {
    static final String SHA_METADATA = "sha256";

    private final S3Config config;
    private final S3Client s3;

    public S3Storage(S3Config config) {
        this(config, clientBuilder(config).build());
    }

    /** With a client built elsewhere (tests: another DNS resolver for virtual-host addressing). */
    public S3Storage(S3Config config, S3Client client) {
        this.config = Objects.requireNonNull(config);
        this.s3 = Objects.requireNonNull(client);
    }

    /** The client this target would build for {@code config}, to adjust before building. */
    public static S3ClientBuilder clientBuilder(S3Config config) {
        return clientBuilder(config, ApacheHttpClient.builder());
    }

    public static S3ClientBuilder clientBuilder(S3Config config, ApacheHttpClient.Builder http) {
        AwsCredentialsProvider credentials = config.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(),
                config.secretAccessKey()));
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .credentialsProvider(credentials)
                .httpClientBuilder(http.connectionTimeout(Duration.ofSeconds(2)).maxConnections(64))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(config.timeout())
                        .apiCallTimeout(config.timeout().multipliedBy(3)));
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        return b;
    }

    public S3Config config() { return config; }

    String objectKey(StorageKey key) {
        return config.prefix() + key.path();
    }

    S3Client client() { return s3; }

    @Override
    public Staged stage(StorageKey key, InputStream in) throws IOException {
        return S3Upload.stage(this, key, in);
    }

    @Override
    public PreviousCopy keepPrevious(StorageKey key) throws IOException {
        return new S3PreviousCopies(this).keep(key);
    }

    @Override
    public java.util.List<PreviousCopy> previousCopies(StorageKey key) throws IOException {
        return new S3PreviousCopies(this).leftFor(key);
    }

    @Override
    public java.util.List<StorageKey> keysWithPreviousCopies() throws IOException {
        return new S3PreviousCopies(this).keysWithCopies();
    }

    @Override
    public InputStream open(StorageKey key) throws IOException {
        return get(key, GetObjectRequest.builder().bucket(config.bucket()).key(objectKey(key)).build());
    }

    @Override
    public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (length == 0) {
            exists(key);
            return InputStream.nullInputStream();
        }
        return get(key, GetObjectRequest.builder().bucket(config.bucket()).key(objectKey(key))
                .range("bytes=" + offset + "-" + (offset + length - 1)).build());
    }

    private InputStream get(StorageKey key, GetObjectRequest request) throws IOException {
        try {
            return s3.getObject(request);
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key.path());
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream(); // range past the end
            }
            throw failure("cannot read " + key, e);
        } catch (SdkException e) {
            throw failure("cannot read " + key, e);
        }
    }

    @Override
    public boolean exists(StorageKey key) throws IOException {
        return head(key).isPresent();
    }

    @Override
    public Optional<String> recordedSha256(StorageKey key) throws IOException {
        HeadObjectResponse h = head(key).orElseThrow(() -> new NoSuchFileException(key.path()));
        return Optional.ofNullable(h.metadata().get(SHA_METADATA));
    }

    /** Every object this target writes carries {@code x-amz-meta-sha256}. */
    @Override
    public boolean recordsChecksums() {
        return true;
    }

    Optional<HeadObjectResponse> head(StorageKey key) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(config.bucket()).key(objectKey(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("cannot look up " + key, e);
        } catch (SdkException e) {
            throw failure("cannot look up " + key, e);
        }
    }

    @Override
    public boolean delete(StorageKey key) throws IOException {
        if (!exists(key)) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            throw failure("cannot delete " + key, e);
        }
    }

    @Override
    public Stream<StorageEntry> list(String prefix) throws IOException {
        try {
            int strip = config.prefix().length();
            return s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(config.prefix() + prefix))
                    .contents().stream()
                    .map(o -> {
                        String k = o.key().substring(strip);
                        if (k.isEmpty() || k.startsWith(".") || k.contains("..") || k.startsWith("/")) {
                            return null; // not an object of ours
                        }
                        return new StorageEntry(new StorageKey(k), o.size(), o.lastModified().toEpochMilli());
                    })
                    .filter(Objects::nonNull);
        } catch (SdkException e) {
            throw failure("cannot list " + config.bucket(), e);
        }
    }

    /** Checks that the bucket answers (a health probe). */
    public void ping() throws IOException {
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (SdkException e) {
            throw failure("bucket " + config.bucket() + " does not answer", e);
        }
    }

    static StorageException failure(String what, SdkException e) {
        return new StorageException(what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "s3:" + config.bucket() + "/" + config.prefix();
    }
}
