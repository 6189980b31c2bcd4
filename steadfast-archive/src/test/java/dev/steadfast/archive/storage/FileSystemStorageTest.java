package dev.steadfast.archive.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemStorageTest {
    @TempDir
    Path dir;

    private static final StorageKey KEY = StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.5");

    @Test
    void putThenOpenGivesTheSameBytesAndTheirSha256() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir);
        byte[] data = bytes(200_000);
        StoredObject o = storage.put(KEY, new ByteArrayInputStream(data));
        assertThat(o.length()).isEqualTo(data.length);
        assertThat(o.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(storage.exists(KEY)).isTrue();
        assertThat(storage.pathOf(KEY)).isEqualTo(dir.resolve("1.2.3/1.2.3.4/1.2.3.4.5.dcm"));
        try (InputStream in = storage.open(KEY)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        try (InputStream in = storage.openRange(KEY, 1000, 50)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1050));
        }
        try (InputStream in = storage.openRange(KEY, data.length - 10, 50)) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
        assertThat(noTemporaryFiles()).isTrue();
    }

    @Test
    void identicalRePutIsHarmlessAndDeleteRemoves() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir);
        byte[] data = bytes(1000);
        StoredObject a = storage.put(KEY, new ByteArrayInputStream(data));
        StoredObject b = storage.put(KEY, new ByteArrayInputStream(data));
        assertThat(b).isEqualTo(a);
        assertThat(storage.delete(KEY)).isTrue();
        assertThat(storage.delete(KEY)).isFalse();
        assertThat(storage.exists(KEY)).isFalse();
        assertThatThrownBy(() -> storage.open(KEY)).isInstanceOf(NoSuchFileException.class);
    }

    /**
     * Issue 19 (round four): a series' folder is made only when creating its first file finds it missing, not
     * looked up before every file; a folder removed meanwhile (a study deleted, then sent again) is made again.
     */
    @Test
    void aSeriesFolderRemovedBetweenTwoObjectsIsMadeAgain() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir);
        StorageKey second = StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.6");
        assertThat(storage.quickRecordedSha256(KEY)).as("nothing stored yet").isEmpty();
        StoredObject a = storage.put(KEY, new ByteArrayInputStream(bytes(1000)));
        if (storage.recordsChecksums()) {
            assertThat(storage.quickRecordedSha256(KEY)).contains(a.sha256());
        }
        assertThat(storage.delete(KEY)).isTrue();
        Files.delete(dir.resolve("1.2.3/1.2.3.4"));
        Files.delete(dir.resolve("1.2.3"));
        StoredObject b = storage.put(second, new ByteArrayInputStream(bytes(2000)));
        assertThat(b.length()).isEqualTo(2000);
        try (InputStream in = storage.open(second)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes(2000));
        }
        assertThat(storage.quickRecordedSha256(KEY)).as("removed").isEmpty();
        assertThat(noTemporaryFiles()).isTrue();
    }

    @Test
    void stagedObjectIsInvisibleUntilCommittedAndDiscardedOnClose() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir);
        try (Storage.Staged s = storage.stage(KEY, new ByteArrayInputStream(bytes(10)))) {
            assertThat(s.length()).isEqualTo(10);
            assertThat(storage.exists(KEY)).isFalse();
        }
        assertThat(storage.exists(KEY)).isFalse();
        assertThat(noTemporaryFiles()).isTrue();
    }

    @Test
    void longOrUnsafeUidsAreHashedIntoTheKeyAndStayUnderTheRoot() {
        String tooLong = "1." + "2".repeat(80);
        StorageKey k = StorageKey.of(tooLong, "../../etc", "1.2");
        assertThat(k.path()).matches("h-[0-9a-f]{64}/h-[0-9a-f]{64}/1\\.2\\.dcm");
        assertThat(StorageKey.of(tooLong, "1", "2")).isEqualTo(StorageKey.of(tooLong, "1", "2"));
        assertThat(StorageKey.of("1.2", "1", "2").path()).isEqualTo("1.2/1/2.dcm");
        assertThatThrownBy(() -> StorageKey.of("1", "", "2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void brokenInputLeavesNoFileAndPropagatesTheInputFailure() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir);
        InputStream broken = new FailingAfter(new ByteArrayInputStream(bytes(500_000)), 100_000, new IOException("peer reset"));
        assertThatThrownBy(() -> storage.put(KEY, broken)).isNotInstanceOf(StorageException.class).hasMessage("peer reset");
        assertThat(storage.exists(KEY)).isFalse();
        assertThat(noTemporaryFiles()).isTrue();
    }

    @Test
    void unwritableRootIsOutOfResources() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x"); // as root, chmod cannot make it unwritable
        FileSystemStorage storage = new FileSystemStorage(file.resolve("storage"));
        assertThatThrownBy(() -> storage.put(KEY, new ByteArrayInputStream(bytes(10))))
                .isInstanceOf(StorageOutOfResourcesException.class);
    }

    @Test
    void belowTheFreeSpaceReserveIsOutOfResourcesAndWritesNothing() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir, Long.MAX_VALUE);
        assertThatThrownBy(() -> storage.put(KEY, new ByteArrayInputStream(bytes(10))))
                .isInstanceOf(StorageOutOfResourcesException.class).hasMessageContaining("reserve");
        assertThat(storage.exists(KEY)).isFalse();
    }

    @Test
    void sweepRemovesTemporaryFilesLeftByACrash() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir);
        storage.put(KEY, new ByteArrayInputStream(bytes(10)));
        // Nobody holds its lock: its writer is gone.
        Path leftover = storage.pathOf(KEY).resolveSibling(".1.2.3.4.5.dcm.crashed" + FileSystemStorage.TEMP_SUFFIX);
        Files.write(leftover, bytes(5));
        age(leftover, 60);
        assertThat(storage.sweepTemporaryFiles()).isEqualTo(1);
        assertThat(storage.exists(KEY)).isTrue();
        assertThat(noTemporaryFiles()).isTrue();
    }

    @Test
    void sweepKeepsTheTemporaryFileOfAWriterStillRunningHoweverOld() throws Exception {
        FileSystemStorage writer = new FileSystemStorage(dir);
        Path abandoned = dir.resolve(".7.8.dcm.abandoned" + FileSystemStorage.TEMP_SUFFIX); // nobody holds its lock
        Files.write(abandoned, bytes(5));
        try (Storage.Staged live = writer.stage(KEY, new ByteArrayInputStream(bytes(10)))) {
            Path running;
            try (Stream<Path> s = Files.walk(dir)) {
                running = s.filter(p -> p.getFileName().toString().startsWith("." + KEY.path().substring(KEY.path().lastIndexOf('/') + 1))
                        && p.getFileName().toString().endsWith(FileSystemStorage.TEMP_SUFFIX)).findFirst().orElseThrow();
            }
            age(running, 3600); // its age does not matter: its lock is held
            assertThat(new FileSystemStorage(dir).sweepTemporaryFiles()).isEqualTo(1);
            assertThat(running).exists();
            assertThat(abandoned).doesNotExist();
            live.commit();
        }
        assertThat(writer.exists(KEY)).isTrue();
        assertThat(noTemporaryFiles()).isTrue();
        try (InputStream in = writer.open(KEY)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes(10));
        }
    }

    private static void age(Path p, long seconds) throws IOException {
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(seconds)));
    }

    private boolean noTemporaryFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.noneMatch(p -> p.getFileName().toString().endsWith(FileSystemStorage.TEMP_SUFFIX));
        }
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    /** Delivers {@code limit} bytes, then throws. */
    static final class FailingAfter extends InputStream {
        private final InputStream in;
        private final IOException failure;
        private long left;

        FailingAfter(InputStream in, long limit, IOException failure) {
            this.in = in;
            this.left = limit;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw failure;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
