package dev.steadfast.archive.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemStorageListingTest {
    @TempDir
    Path dir;

    @Test
    void listsVisibleObjectsByPrefixAndSkipsTemporaryFiles() throws Exception {
        FileSystemStorage fs = new FileSystemStorage(dir);
        fs.put(StorageKey.of("1.2", "1.2.3", "1.2.3.4"), new ByteArrayInputStream(new byte[]{1, 2}));
        fs.put(StorageKey.of("1.2", "1.2.3", "1.2.3.5"), new ByteArrayInputStream(new byte[]{3}));
        fs.put(StorageKey.of("1.3", "1.3.3", "1.3.3.4"), new ByteArrayInputStream(new byte[]{4}));
        Files.writeString(dir.resolve("1.2/1.2.3/.1.2.3.9.dcm.x.tmp"), "half");
        try (Stream<StorageEntry> all = fs.list("")) {
            assertThat(all.map(e -> e.key().path()).sorted().toList())
                    .containsExactly("1.2/1.2.3/1.2.3.4.dcm", "1.2/1.2.3/1.2.3.5.dcm", "1.3/1.3.3/1.3.3.4.dcm");
        }
        try (Stream<StorageEntry> study = fs.list("1.2/")) {
            List<StorageEntry> l = study.toList();
            assertThat(l).hasSize(2);
            assertThat(l).anySatisfy(e -> assertThat(e.size()).isEqualTo(2));
        }
        try (Stream<StorageEntry> none = fs.list("9.9/")) {
            assertThat(none).isEmpty();
        }
    }

    @Test
    void recordsTheSha256BesideTheFileAndKeepsItWhenTheBytesRot() throws Exception {
        FileSystemStorage fs = new FileSystemStorage(dir);
        StorageKey key = StorageKey.of("1.2", "1.2.3", "1.2.3.4");
        StoredObject o = fs.put(key, new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(fs.recordedSha256(key)).contains(o.sha256());
        Files.writeString(fs.pathOf(key), "jello"); // in place: same inode, attribute kept
        assertThat(fs.recordedSha256(key)).contains(o.sha256());
    }
}
