package dev.steadfast.archive.storage.s3;

import dev.steadfast.archive.storage.ImmutableObjectException;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageEntry;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;
import dev.steadfast.testing.S3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 target against a real S3 server (s3proxy) on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageTest {
    private Path dir;
    private S3Proxy proxy;
    private S3Config config;
    private S3Storage s3;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("steadfast-s3-test");
        proxy = S3Proxy.started(dir);
        config = S3Config.of(proxy.endpoint(), proxy.createBucket("archive"), S3Proxy.IDENTITY, S3Proxy.CREDENTIAL)
                .withTimeout(Duration.ofSeconds(10)).withPartSize(S3Config.MIN_PART_SIZE);
        s3 = new S3Storage(config);
    }

    @AfterAll
    void stop() throws IOException {
        if (s3 != null) {
            s3.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void smallObjectRoundTripsWithItsChecksumRecorded() throws Exception {
        StorageKey key = StorageKey.of("1.2.1", "1.2.1.1", "1.2.1.1.1");
        byte[] data = random(10_000, 1);
        StoredObject o = s3.put(key, new ByteArrayInputStream(data));
        assertThat(o.sha256()).isEqualTo(sha256(data));
        assertThat(o.length()).isEqualTo(data.length);
        assertThat(read(s3.open(key))).isEqualTo(data);
        assertThat(s3.recordedSha256(key)).contains(sha256(data));
        try (InputStream r = s3.openRange(key, 100, 50)) {
            assertThat(r.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
        }
        assertThat(s3.exists(key)).isTrue();
        assertThat(s3.delete(key)).isTrue();
        assertThat(s3.exists(key)).isFalse();
        assertThat(s3.delete(key)).isFalse();
        assertThatThrownBy(() -> s3.open(key)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void largeObjectGoesUpInPartsAndIsInvisibleUntilCommitted() throws Exception {
        StorageKey key = StorageKey.of("1.2.2", "1.2.2.1", "1.2.2.1.1");
        byte[] data = random(11 * 1024 * 1024 + 17, 2); // 5 + 5 + 1 MiB parts
        try (Storage.Staged staged = s3.stage(key, new ByteArrayInputStream(data))) {
            assertThat(staged.sha256()).isEqualTo(sha256(data));
            assertThat(s3.exists(key)).isFalse();
            staged.commit();
        }
        assertThat(read(s3.open(key))).isEqualTo(data);
        assertThat(s3.recordedSha256(key)).contains(sha256(data));
        try (InputStream r = s3.openRange(key, 6 * 1024 * 1024, 10)) {
            assertThat(r.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 6 * 1024 * 1024,
                    6 * 1024 * 1024 + 10));
        }
    }

    @Test
    void discardedUploadsLeaveNothing() throws Exception {
        StorageKey small = StorageKey.of("1.2.3", "1.2.3.1", "1.2.3.1.1");
        StorageKey large = StorageKey.of("1.2.3", "1.2.3.1", "1.2.3.1.2");
        s3.stage(small, new ByteArrayInputStream(random(100, 3))).close();
        s3.stage(large, new ByteArrayInputStream(random(6 * 1024 * 1024, 4))).close();
        assertThat(s3.exists(small)).isFalse();
        assertThat(s3.exists(large)).isFalse();
        try (var client = S3Storage.clientBuilder(config).build()) {
            assertThat(client.listMultipartUploads(b -> b.bucket("archive")).uploads()).isEmpty();
        }
    }

    @Test
    void aBrokenInputStreamPropagatesAndLeavesNothing() throws Exception {
        StorageKey key = StorageKey.of("1.2.4", "1.2.4.1", "1.2.4.1.1");
        InputStream broken = new SequenceInputStream(new ByteArrayInputStream(random(6 * 1024 * 1024, 5)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("sender went away");
                    }
                });
        assertThatThrownBy(() -> s3.put(key, broken)).hasMessageContaining("sender went away")
                .isNotInstanceOf(StorageException.class);
        assertThat(s3.exists(key)).isFalse();
    }

    @Test
    void listsObjectsUnderAPrefix() throws Exception {
        S3Storage prefixed = new S3Storage(config.withPrefix("site-a/"));
        prefixed.put(StorageKey.of("1.2.5", "1.2.5.1", "1.2.5.1.1"), new ByteArrayInputStream(new byte[]{1}));
        prefixed.put(StorageKey.of("1.2.5", "1.2.5.1", "1.2.5.1.2"), new ByteArrayInputStream(new byte[]{1, 2}));
        prefixed.put(StorageKey.of("1.2.6", "1.2.6.1", "1.2.6.1.1"), new ByteArrayInputStream(new byte[]{1}));
        try (Stream<StorageEntry> l = prefixed.list("1.2.5/")) {
            assertThat(l.map(e -> e.key().path()).sorted().toList())
                    .containsExactly("1.2.5/1.2.5.1/1.2.5.1.1.dcm", "1.2.5/1.2.5.1/1.2.5.1.2.dcm");
        }
        try (Stream<StorageEntry> l = prefixed.list("")) {
            assertThat(l.count()).isEqualTo(3);
        }
    }

    @Test
    void virtualHostAndPathStyleAddressingBothWork() throws Exception {
        // A store answering as s3.test: a resolver maps s3.test and archive.s3.test to loopback.
        try (S3Proxy named = new S3Proxy(dir.resolve("vhost"), "s3.test")) {
            named.start();
            ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                    .dnsResolver(host -> {
                        assertThat(host).endsWith("s3.test");
                        return new InetAddress[]{InetAddress.getLoopbackAddress()};
                    });
            URI endpoint = URI.create("http://s3.test:" + named.port());
            S3Config pathStyle = S3Config.of(endpoint, "archive", S3Proxy.IDENTITY, S3Proxy.CREDENTIAL);
            S3Config vhost = pathStyle.withPathStyle(false);
            try (S3Storage p = new S3Storage(pathStyle, S3Storage.clientBuilder(pathStyle, http).build());
                 S3Storage v = new S3Storage(vhost, S3Storage.clientBuilder(vhost, http).build())) {
                p.client().createBucket(b -> b.bucket("archive"));
                StorageKey key = StorageKey.of("1.2.7", "1.2.7.1", "1.2.7.1.1");
                v.put(key, new ByteArrayInputStream(new byte[]{9, 8, 7}));
                assertThat(read(p.open(key))).containsExactly(9, 8, 7); // the same bucket, seen path style
            }
        }
    }

    @Test
    void credentialsComeFromTheStandardAwsChainWhenNotConfigured() throws Exception {
        System.setProperty("aws.accessKeyId", S3Proxy.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3Proxy.CREDENTIAL);
        try (S3Storage chain = new S3Storage(S3Config.of(proxy.endpoint(), "archive", null, null))) {
            StorageKey key = StorageKey.of("1.2.8", "1.2.8.1", "1.2.8.1.1");
            chain.put(key, new ByteArrayInputStream(new byte[]{1}));
            assertThat(s3.exists(key)).isTrue();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void aWrongSecretIsAStorageFailure() {
        try (S3Storage wrong = new S3Storage(S3Config.of(proxy.endpoint(), "archive", S3Proxy.IDENTITY, "nope"))) {
            assertThatThrownBy(() -> wrong.put(StorageKey.of("1.2.9", "1.2.9.1", "1.2.9.1.1"),
                    new ByteArrayInputStream(new byte[]{1}))).isInstanceOf(StorageException.class);
            assertThatThrownBy(wrong::ping).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void anImmutableTargetRefusesToOverwriteButAcceptsTheSameBytesAgain() throws Exception {
        try (S3Storage locked = new S3Storage(config.withImmutability(true, 0))) {
            StorageKey key = StorageKey.of("1.2.10", "1.2.10.1", "1.2.10.1.1");
            locked.put(key, new ByteArrayInputStream(new byte[]{1, 2, 3}));
            locked.put(key, new ByteArrayInputStream(new byte[]{1, 2, 3}));
            assertThatThrownBy(() -> locked.put(key, new ByteArrayInputStream(new byte[]{4, 5, 6})))
                    .isInstanceOf(ImmutableObjectException.class);
            byte[] big = random(6 * 1024 * 1024, 6);
            StorageKey bigKey = StorageKey.of("1.2.10", "1.2.10.1", "1.2.10.1.2");
            locked.put(bigKey, new ByteArrayInputStream(big));
            assertThatThrownBy(() -> locked.put(bigKey, new ByteArrayInputStream(random(6 * 1024 * 1024, 7))))
                    .isInstanceOf(ImmutableObjectException.class);
            assertThat(read(locked.open(key))).containsExactly(1, 2, 3);
            assertThat(read(locked.open(bigKey))).isEqualTo(big);
        }
    }

    /**
     * s3proxy 4.1.0 answers 501 to every Object Lock request (bucket configuration, retention
     * headers), checked here; retention asked of such a store refuses the write loudly instead
     * of storing an unprotected object. On AWS and stores with Object Lock the same headers apply.
     */
    @Test
    void retentionOnAStoreWithoutObjectLockRefusesTheWrite() throws Exception {
        try (S3Storage retained = new S3Storage(config.withImmutability(true, 1))) {
            StorageKey key = StorageKey.of("1.2.11", "1.2.11.1", "1.2.11.1.1");
            assertThatThrownBy(() -> retained.put(key, new ByteArrayInputStream(new byte[]{1})))
                    .isInstanceOf(StorageException.class).hasMessageContaining("not implemented");
            assertThat(s3.exists(key)).isFalse();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
