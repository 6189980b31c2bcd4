package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.ImmutableStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19: ingest hashes the data set beside the write and runs the index statements while the storage commit
 * (rename, folder fsync) is in flight, committing the row only after it. Through the storage serve builds
 * (replicated, here over an immutable filesystem target): the recorded data set digest is the data set's, and a
 * storage commit that fails while the statements ran leaves no row, the object already there untouched, no
 * temporary file, and the sender gets "out of resources" (A700).
 */
class Issue19CommitBesideIndexTest {
    @TempDir
    Path dir;
    private Index index;
    private ReplicatedStorage storage;
    private IngestService ingest;

    @BeforeEach
    void open() throws Exception {
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        Files.createDirectories(dir.resolve("audit"));
        FileSystemStorage fs = new FileSystemStorage(dir.resolve("fs"));
        ImmutableStorage immutable = new ImmutableStorage(fs, dir.resolve("audit/fs.log"));
        storage = new ReplicatedStorage(List.of(Target.of("fs", immutable)), WritePolicy.ALL, ReplicaOptions.DEFAULT);
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT); // no journal: an index failure fails the store
    }

    @AfterEach
    void close() {
        storage.close();
        index.close();
    }

    @Test
    void theIndexedDataSetDigestIsTheDataSetsAndAFailedStorageCommitLeavesNoRow() throws Exception {
        Dataset ds = Synthetic.instance(Synthetic.uid(), "Doe^Jane", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        byte[] dataset = Synthetic.encode(ds);
        StoreResult stored = ingest.store(new ByteArrayInputStream(dataset), UID.ExplicitVRLittleEndian, "MODALITY1");
        StoredInstance row = find(stored.sopInstanceUid()).orElseThrow();
        assertThat(row.record().datasetSha256()).isEqualTo(sha256(dataset));
        try (InputStream in = storage.open(stored.key())) {
            assertThat(row.record().sha256()).isEqualTo(sha256(in.readAllBytes()));
        }

        // Another object already at the next instance's key, not indexed: the immutable target refuses to
        // replace it when ingest commits, which happens while the index statements run.
        Dataset next = Synthetic.instance(Synthetic.uid(), "Doe^John", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        StorageKey key = StorageKey.of(next.getString(Tag.StudyInstanceUID), next.getString(Tag.SeriesInstanceUID),
                next.getString(Tag.SOPInstanceUID));
        byte[] other = "not this instance".getBytes();
        storage.put(key, new ByteArrayInputStream(other));
        assertThatThrownBy(() -> ingest.store(new ByteArrayInputStream(Synthetic.encode(next)), UID.ExplicitVRLittleEndian,
                "MODALITY1")).isInstanceOfSatisfying(IngestException.class,
                e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.OUT_OF_RESOURCES));
        assertThat(find(next.getString(Tag.SOPInstanceUID))).as("index row of a store whose commit failed").isEmpty();
        try (InputStream in = storage.open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(other);
        }
        try (Stream<Path> files = Files.walk(dir.resolve("fs"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("."))).as("temporary files").isEmpty();
        }
        // The index is not left holding anything: the next store goes through.
        Dataset third = Synthetic.instance(Synthetic.uid(), "Doe^Jim", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        assertThat(ingest.store(new ByteArrayInputStream(Synthetic.encode(third)), UID.ExplicitVRLittleEndian, "MODALITY1")
                .outcome()).isEqualTo(StoreResult.Outcome.STORED);
    }

    private Optional<StoredInstance> find(String sop) {
        return index.read(tx -> tx.instances().find(sop));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
