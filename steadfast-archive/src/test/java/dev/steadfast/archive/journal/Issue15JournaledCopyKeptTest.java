package dev.steadfast.archive.journal;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, found reading the code for the chaos run's loss: node A, its index down, acknowledges
 * and journals an instance; before A's journal is replayed, node B (index up) receives different
 * bytes under the same SOP Instance UID. B finds no index row; it must still not store over A's
 * acknowledged copy (the replay would then drop A's entry as superseded, and A's copy be gone):
 * the duplicate policy (default reject) answers as if the copy were indexed. Afterwards A's copy is
 * the one stored and indexed.
 */
class Issue15JournaledCopyKeptTest {
    @TempDir
    Path tmp;
    private Index index;
    private FileSystemStorage storage;

    @BeforeEach
    void open() throws Exception {
        index = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")));
        storage = new FileSystemStorage(tmp.resolve("storage"));
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void differentBytesAtAnotherNodeDoNotReplaceACopyWaitingInAJournal() throws Exception {
        Path root = tmp.resolve("journal");
        String patient = Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String sop = Synthetic.uid();
        byte[] first = Synthetic.encode(Synthetic.instance(patient, "First^Copy", study, series, sop));
        byte[] other = Synthetic.encode(Synthetic.instance(patient, "Other^Copy", study, series, sop));
        try (IngestJournal a = IngestJournal.shared(root, "a", index, storage);
             IngestJournal b = IngestJournal.shared(root, "b", index, storage)) {
            a.indexFailed(new IndexException("index down at node A (test)", null, true));
            StoreResult acked = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), a)
                    .store(new ByteArrayInputStream(first), UID.ExplicitVRLittleEndian, "MOD");
            assertThat(a.pending()).as("journaled at A").isEqualTo(1);

            IngestService atB = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), b);
            assertThatThrownBy(() -> atB.store(new ByteArrayInputStream(other), UID.ExplicitVRLittleEndian, "MOD2"))
                    .isInstanceOfSatisfying(IngestException.class,
                            e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.DUPLICATE_REJECTED));

            assertThat(a.replay()).as("A's journal replayed").isEqualTo(1);
            assertThat(index.read(tx -> tx.instances().find(sop)).orElseThrow().record().sha256())
                    .as("indexed: A's acknowledged copy").isEqualTo(acked.sha256());
            assertThat(storage.recordedSha256(StorageKey.of(study, series, sop))).as("stored: A's copy")
                    .contains(acked.sha256());
        }
    }
}
