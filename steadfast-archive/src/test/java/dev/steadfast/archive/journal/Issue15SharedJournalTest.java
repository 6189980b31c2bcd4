package dev.steadfast.archive.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the shared ingest journal's folder rules: a node's sub-folder is its own while it runs
 * (a second node with the same id is refused; another node leaves it alone) and anyone's once it is
 * gone; a running node's backlog never brings back a study another node deleted meanwhile; and a
 * drained folder never reuses the name of an entry set aside (moving the next failure there would fail).
 * {@code serve/Issue15LostJournalNodeTest} proves the whole path through running nodes.
 */
class Issue15SharedJournalTest {
    @TempDir
    Path tmp;
    private Index index;
    private FileSystemStorage storage;
    private Path root;

    @BeforeEach
    void open() throws IOException {
        index = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")));
        storage = new FileSystemStorage(tmp.resolve("storage"));
        root = tmp.resolve("journal");
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void aNodesFolderIsItsOwnWhileItRunsAndDrainedByAnotherOnceItIsGone() throws Exception {
        IngestJournal a = IngestJournal.shared(root, "a", index, storage);
        String study = Synthetic.uid();
        List<StoreResult> acked = journaled(a, study, 3);
        assertThat(a.pending()).isEqualTo(3);
        try (IngestJournal b = IngestJournal.shared(root, "b", index, storage)) {
            assertThat(b.drainLostNodes()).as("node A runs: its journal is its own").isZero();
            assertThatThrownBy(() -> IngestJournal.shared(root, "a", index, storage, Duration.ofMillis(300)))
                    .as("a second node with A's id").hasMessageContaining("each node needs its own cluster.node-id");

            a.close(); // A is gone
            assertThat(b.drainLostNodes()).as("B drains A's journal").isEqualTo(3);
            assertThat(b.drainLostNodes()).as("once").isZero();
            for (StoreResult r : acked) {
                assertThat(index.read(tx -> tx.instances().find(r.sopInstanceUid())).orElseThrow().record().sha256())
                        .isEqualTo(r.sha256());
            }
            assertThat(entries(root.resolve("a"))).isZero();
        }
        try (IngestJournal back = IngestJournal.shared(root, "a", index, storage)) {
            assertThat(back.pending()).as("node A back: nothing left to replay").isZero();
        }
    }

    @Test
    void aRunningNodesBacklogDoesNotBringBackAStudyAnotherNodeDeleted() throws Exception {
        String study = Synthetic.uid();
        try (IngestJournal a = IngestJournal.shared(root, "a", index, storage);
             IngestJournal b = IngestJournal.shared(root, "b", index, storage)) {
            IngestService live = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), b);
            live.store(new ByteArrayInputStream(encode(study)), UID.ExplicitVRLittleEndian, "MOD"); // indexed at once
            journaled(a, study, 2); // A lost the index meanwhile: two more of the study wait in its journal
            // The deletion comes after their arrival (a clock a second ahead: never the same millisecond).
            new StudyDeletion(index, storage, b, false, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)))
                    .delete(study, "admin", "wrong patient");
            assertThat(a.pending()).as("B cannot reach a running node's journal").isEqualTo(2);

            assertThat(a.replay()).as("A's backlog, replayed").isEqualTo(2);
            assertThat(a.pending()).isZero();
            List<dev.steadfast.archive.index.StoredInstance> left = index.read(tx -> tx.instances().ofStudy(study));
            assertThat(left).as("the deleted study stays deleted").isEmpty();
        }
    }

    @Test
    void aNodeWhoseJournalWasDrainedNeverNamesANewEntryLikeOneSetAside() throws Exception {
        // Node a's last run: its entry 1 was set aside (unreadable), the rest drained by another node.
        Path failed = Files.createDirectories(root.resolve("a/failed"));
        Files.write(failed.resolve("00000000000000000001.entry"), new byte[] {1, 2, 3});
        try (IngestJournal a = IngestJournal.shared(root, "a", index, storage)) {
            journaled(a, Synthetic.uid(), 1);
            try (Stream<Path> s = Files.list(root.resolve("a"))) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".entry")))
                        .as("the new entry's name").containsExactly("00000000000000000002.entry");
            }
        }
    }

    /** {@code n} instances of {@code study} stored through {@code journal}'s node while its index is down. */
    private List<StoreResult> journaled(IngestJournal journal, String study, int n) throws Exception {
        journal.indexFailed(new IndexException("index down (test)", null, true));
        IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), journal);
        List<StoreResult> acked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            acked.add(ingest.store(new ByteArrayInputStream(encode(study)), UID.ExplicitVRLittleEndian, "MOD"));
        }
        return acked;
    }

    private static byte[] encode(String study) throws IOException {
        return Synthetic.encode(Synthetic.instance("P1", "Shared^Journal", study, Synthetic.uid(), Synthetic.uid()));
    }

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".entry")).count();
        }
    }
}
