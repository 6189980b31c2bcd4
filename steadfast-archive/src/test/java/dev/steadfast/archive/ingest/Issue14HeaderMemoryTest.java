package dev.steadfast.archive.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, memory bounds for headers: what ingest records of a header stays on the heap only up
 * to 1 MiB (the rest in a temporary file, removed after), and a loaded header value is bounded:
 * a text value over 64 MiB is refused, naming the element, leaving nothing behind. (The 300 MB
 * element through serve under -Xmx256m is {@code Issue14LargeHeaderElementTest}.)
 */
class Issue14HeaderMemoryTest {
    @TempDir
    Path dir;

    @Test
    void theRecordedHeaderKeepsOneMebibyteOnTheHeapAndReplaysEveryByte() throws Exception {
        byte[] source = new byte[8 << 20];
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) (i * 7);
        }
        Path spill;
        try (HeaderRecorder r = new HeaderRecorder(new ByteArrayInputStream(source))) {
            assertThat(r.skip(6 << 20)).isEqualTo(6 << 20);
            assertThat(r.inMemory()).isEqualTo(HeaderRecorder.MEMORY_LIMIT);
            spill = r.spillFile();
            assertThat(spill).exists();
            try (InputStream replay = r.replay()) {
                assertThat(Arrays.equals(replay.readAllBytes(), source)).as("recorded bytes, then the unread rest").isTrue();
            }
        }
        assertThat(spill).doesNotExist();
    }

    @Test
    void aTextValueOver64MibIsRefusedNamingTheElementAndLeavesNothing() throws Exception {
        Dataset ds = Synthetic.instance(Synthetic.uid(), "Big^Text", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        char[] text = new char[(64 << 20) + 2];
        Arrays.fill(text, 'x');
        ds.setString(Tag.TextValue, VR.UT, new String(text));
        byte[] encoded = Synthetic.encode(ds);
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            assertThatThrownBy(() -> ingest.store(new ByteArrayInputStream(encoded), UID.ExplicitVRLittleEndian, "A"))
                    .isInstanceOfSatisfying(IngestException.class, e -> {
                        assertThat(e.kind()).isEqualTo(IngestException.Kind.CANNOT_UNDERSTAND);
                        assertThat(e.getMessage()).contains(Tag.toString(Tag.TextValue)).contains("over the limit");
                    });
            assertThat((long) index.<Long>read(tx -> tx.instances().count())).isZero();
            if (Files.exists(storage.root())) {
                try (Stream<Path> s = Files.walk(storage.root())) {
                    assertThat(s.filter(Files::isRegularFile)).isEmpty();
                }
            }
        }
    }
}
