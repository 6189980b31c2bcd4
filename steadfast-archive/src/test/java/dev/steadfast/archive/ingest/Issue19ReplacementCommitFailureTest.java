package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.DuplicatePolicy;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.ImmutableStorage;
import dev.steadfast.archive.storage.Storage;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19, the storage commit failing on a replicated target while the index statements run. Two targets, write
 * policy "all", the second immutable (it refuses to replace an object: its commit fails, as a second target
 * failing its commit would).
 *
 * <p>A replacement (duplicate policy replace) whose second copy cannot commit: the first target had already
 * renamed the new bytes over its previous copy, and the failed write removes them again. Before, nothing noted
 * that this target now lacks the copy the index still points to: the instance had one copy where the policy
 * asks two, and only a read or a full scrub would find it. Now the target is noted for repair, which restores
 * the previous copy from the target that kept it.
 *
 * <p>Several new instances stored at once, one whose commit fails: that one alone fails (A700) with no row; the
 * others are stored, indexed and readable.
 */
class Issue19ReplacementCommitFailureTest {
    @TempDir
    Path dir;
    private Index index;
    private ReplicatedStorage storage;
    private IngestService ingest;

    @BeforeEach
    void open() throws Exception {
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        Files.createDirectories(dir.resolve("audit"));
        FileSystemStorage a = new FileSystemStorage(dir.resolve("a"));
        ImmutableStorage b = new ImmutableStorage(new FileSystemStorage(dir.resolve("b")), dir.resolve("audit/b.log"));
        storage = new ReplicatedStorage(List.of(Target.of("a", a), Target.of("b", b)), WritePolicy.ALL,
                ReplicaOptions.DEFAULT);
        ingest = new IngestService(storage, index, new IngestConfig(DuplicatePolicy.REPLACE));
    }

    @AfterEach
    void close() {
        storage.close();
        index.close();
    }

    @Test
    void aReplacementWhoseSecondCopyCannotCommitKeepsTheOldRowAndGetsItsCopyBack() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String sop = Synthetic.uid();
        byte[] first = Synthetic.encode(Synthetic.instance("PID1", "Doe^Jane", study, series, sop));
        StoreResult stored = ingest.store(new ByteArrayInputStream(first), UID.ExplicitVRLittleEndian, "MODALITY1");
        StorageKey key = stored.key();
        String indexedSha = find(sop).orElseThrow().record().sha256();
        Target a = storage.targets().get(0);

        byte[] second = Synthetic.encode(Synthetic.instance("PID1", "Doe^Janet", study, series, sop));
        assertThatThrownBy(() -> ingest.store(new ByteArrayInputStream(second), UID.ExplicitVRLittleEndian, "MODALITY1"))
                .isInstanceOfSatisfying(IngestException.class,
                        e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.OUT_OF_RESOURCES));

        assertThat(find(sop).orElseThrow().record().sha256()).as("the row of the previous copy").isEqualTo(indexedSha);
        // Before any read: the first target lost its copy with the failed write, and must be due for repair.
        assertThat(storage.pendingRepairs(a)).as("keys target a is due to get back").contains(key);

        new Scrubber(storage, new IndexChecksums(index), Pace.UNLIMITED).repairPending();
        for (Target t : storage.targets()) {
            assertThat(sha256(t.storage(), key)).as("the copy on " + t.name()).isEqualTo(indexedSha);
        }
        assertThat(storage.pendingRepairs(a)).isEmpty();
        assertThat(sha256(storage, key)).isEqualTo(indexedSha);
        assertNoTemporaryFiles();
    }

    @Test
    void oneFailingCommitAmongConcurrentStoresFailsAlone() throws Exception {
        List<Dataset> sets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sets.add(Synthetic.instance(Synthetic.uid(), "Doe^Jane", Synthetic.uid(), Synthetic.uid(), Synthetic.uid()));
        }
        // Another object already at one instance's key on the immutable target: that instance's commit fails.
        Dataset failing = sets.get(3);
        StorageKey failingKey = StorageKey.of(failing.getString(Tag.StudyInstanceUID),
                failing.getString(Tag.SeriesInstanceUID), failing.getString(Tag.SOPInstanceUID));
        byte[] other = "not this instance".getBytes();
        storage.targets().get(1).storage().put(failingKey, new ByteArrayInputStream(other));

        List<Future<StoreResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(sets.size())) {
            for (Dataset ds : sets) {
                byte[] bytes = Synthetic.encode(ds);
                results.add(pool.submit(() -> ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian,
                        "MODALITY1")));
            }
        }
        for (int i = 0; i < sets.size(); i++) {
            String sop = sets.get(i).getString(Tag.SOPInstanceUID);
            if (i == 3) {
                Future<StoreResult> f = results.get(i);
                assertThatThrownBy(f::get).hasCauseInstanceOf(IngestException.class)
                        .satisfies(e -> assertThat(((IngestException) e.getCause()).kind())
                                .isEqualTo(IngestException.Kind.OUT_OF_RESOURCES));
                assertThat(find(sop)).as("row of the store whose commit failed").isEmpty();
                try (InputStream in = storage.targets().get(1).storage().open(failingKey)) {
                    assertThat(in.readAllBytes()).isEqualTo(other);
                }
                assertThat(storage.targets().get(0).storage().exists(failingKey)).as("partial copy on a").isFalse();
                continue;
            }
            StoreResult r = results.get(i).get();
            assertThat(r.outcome()).isEqualTo(StoreResult.Outcome.STORED);
            StoredInstance row = find(sop).orElseThrow();
            for (Target t : storage.targets()) {
                assertThat(sha256(t.storage(), r.key())).as(sop + " on " + t.name()).isEqualTo(row.record().sha256());
            }
        }
        assertNoTemporaryFiles();
    }

    private void assertNoTemporaryFiles() throws Exception {
        for (String target : List.of("a", "b")) {
            try (Stream<Path> files = Files.walk(dir.resolve(target))) {
                assertThat(files.filter(p -> p.getFileName().toString().startsWith(".")))
                        .as("temporary files on " + target).isEmpty();
            }
        }
    }

    private Optional<StoredInstance> find(String sop) {
        return index.read(tx -> tx.instances().find(sop));
    }

    private static String sha256(Storage s, StorageKey key) throws Exception {
        try (InputStream in = s.open(key)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
