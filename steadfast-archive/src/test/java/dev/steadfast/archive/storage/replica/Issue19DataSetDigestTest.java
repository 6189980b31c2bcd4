package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.health.CircuitBreaker;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19: ingest's data set SHA-256 (the object less the File Meta Information in front of it) is computed
 * beside the write, on another thread, by the storage serve uses; it must be the same digest as before, on every
 * chunk boundary, and a sender that fails mid-object must leave nothing behind and nothing stuck.
 */
class Issue19DataSetDigestTest {
    private static final int CHUNK = 64 * 1024;
    @TempDir
    Path dir;
    private final List<ReplicatedStorage> opened = new java.util.ArrayList<>();

    private ReplicatedStorage replicated(String... names) {
        List<Target> targets = Arrays.stream(names).map(n -> new Target(n, new FileSystemStorage(dir.resolve(n)),
                Target.defaultProbe(new FileSystemStorage(dir.resolve(n))),
                new CircuitBreaker(n, 1, Duration.ofMillis(200), Clock.systemUTC()))).toList();
        ReplicatedStorage storage = new ReplicatedStorage(targets, WritePolicy.ALL, ReplicaOptions.DEFAULT);
        opened.add(storage);
        return storage;
    }

    @AfterEach
    void close() {
        opened.forEach(ReplicatedStorage::close);
    }

    @Test
    void theDataSetDigestIsTheObjectsTailOnEveryChunkBoundary() throws Exception {
        // Two targets: the digest has a consumer of its own; a lone target (serve's default): its writer hashes it.
        Storage[] storages = {replicated("a", "b"), replicated("lone"), new FileSystemStorage(dir.resolve("plain"))};
        int[][] cases = { // {object length, where the data set starts}
                {200, 200}, {201, 200}, {CHUNK, 200}, {CHUNK + 1, CHUNK}, {CHUNK, CHUNK - 1}, {3 * CHUNK + 5, 372},
                {530_000, 346}, {1000, 0}};
        int i = 0;
        for (Storage s : storages) {
            for (int[] c : cases) {
                byte[] object = new byte[c[0]];
                new Random(i).nextBytes(object);
                StorageKey key = StorageKey.of("1.9", "1.9.1", "1.9.1." + i++);
                try (Storage.Staged staged = s.stage(key, new ByteArrayInputStream(object), c[1])) {
                    assertThat(staged.tailSha256()).as("%s, %d bytes from %d", s, c[0], c[1])
                            .isEqualTo(sha256(Arrays.copyOfRange(object, c[1], c[0])));
                    assertThat(staged.sha256()).isEqualTo(sha256(object));
                    staged.commit();
                }
                try (InputStream in = s.open(key)) {
                    assertThat(in.readAllBytes()).isEqualTo(object);
                }
            }
        }
    }

    @Test
    void aSenderFailingMidObjectLeavesNoFileAndTheNextStoreGoesThrough() throws Exception {
        aSenderFailingMidObject(replicated("a", "b"), 2);
    }

    @Test
    void aSenderFailingMidObjectLeavesNoFileOnALoneTarget() throws Exception {
        aSenderFailingMidObject(replicated("lone"), 1);
    }

    private void aSenderFailingMidObject(ReplicatedStorage s, int copies) throws Exception {
        byte[] object = new byte[5 * CHUNK];
        new Random(7).nextBytes(object);
        StorageKey key = StorageKey.of("1.9", "1.9.1", "1.9.1.1");
        IOException broken = new IOException("association aborted");
        InputStream failing = new InputStream() {
            private final InputStream first = new ByteArrayInputStream(object, 0, 3 * CHUNK + 100);

            @Override
            public int read() throws IOException {
                int b = first.read();
                if (b < 0) {
                    throw broken;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = first.read(b, off, len);
                if (n < 0) {
                    throw broken;
                }
                return n;
            }
        };
        assertThatThrownBy(() -> s.stage(key, failing, 300)).isSameAs(broken);
        assertThat(files()).as("no object and no temporary file on any target").isEmpty();

        try (Storage.Staged staged = s.stage(key, new ByteArrayInputStream(object), 300)) {
            assertThat(staged.tailSha256()).isEqualTo(sha256(Arrays.copyOfRange(object, 300, object.length)));
            staged.commit();
        }
        assertThat(files()).hasSize(copies);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".xattr")).toList();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
