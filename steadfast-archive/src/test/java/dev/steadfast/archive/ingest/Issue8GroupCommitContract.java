package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.StoreResult.Outcome;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 8, group commit of ingest's index writes: concurrent stores share one transaction, and
 * each is acknowledged only once that transaction committed. The database's write lock is held
 * from outside while the stores arrive, so they queue into one batch; a trigger makes the index
 * refuse chosen instances. Run on SQLite and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Issue8GroupCommitContract {
    private static final int STORES = 6;
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Path dir;
    private IndexConfig config;
    private Index index;
    private FileSystemStorage storage;
    private IngestService ingest;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws IOException {
        dir = Files.createTempDirectory("steadfast-group-commit");
        config = indexConfig(dir);
        index = Index.open(config);
        storage = new FileSystemStorage(dir.resolve("storage"));
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT); // no journal: an index failure fails the store
    }

    @AfterAll
    void close() throws IOException {
        index.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void concurrentStoresShareOneTransactionAndEachIsIndexedWhenItReturns() throws Exception {
        List<Dataset> sent = instances("");
        List<Object> outcomes = storeWhileTheIndexIsLocked(sent);
        for (int i = 0; i < STORES; i++) {
            assertThat(outcomes.get(i)).isInstanceOf(StoreResult.class);
            StoreResult r = (StoreResult) outcomes.get(i);
            assertThat(r.outcome()).isEqualTo(Outcome.STORED);
            assertThat(storage.exists(r.key())).isTrue();
            assertThat(find(r.sopInstanceUid())).isPresent();
        }
        assertThat(ingest.indexCommitStats().largestBatch()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aBatchTheIndexRefusesFailsEveryCallerAndLeavesNothingVisible() throws Exception {
        String marker = "2.25.7771" + SEQ.incrementAndGet() + ".";
        List<Dataset> sent = instances(marker);
        refuseInstancesLike(marker);
        try {
            List<Object> outcomes = storeWhileTheIndexIsLocked(sent);
            for (int i = 0; i < STORES; i++) {
                assertThat(outcomes.get(i)).isInstanceOf(IngestException.class);
                assertThat(((IngestException) outcomes.get(i)).kind()).isEqualTo(IngestException.Kind.INDEX_FAILURE);
                assertNothingOf(sent.get(i));
            }
        } finally {
            allowAll();
        }
    }

    @Test
    void oneRefusedInstanceFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        String marker = "2.25.7772" + SEQ.incrementAndGet() + ".";
        List<Dataset> sent = instances("");
        Dataset refused = onAFreeStripe(instances(marker), sent, 3);
        sent.set(3, refused);
        refuseInstancesLike(marker);
        try {
            List<Object> outcomes = storeWhileTheIndexIsLocked(sent);
            for (int i = 0; i < STORES; i++) {
                if (i == 3) {
                    assertThat(outcomes.get(i)).isInstanceOf(IngestException.class);
                    assertNothingOf(refused);
                } else {
                    assertThat(outcomes.get(i)).isInstanceOf(StoreResult.class);
                    StoreResult r = (StoreResult) outcomes.get(i);
                    assertThat(storage.exists(r.key())).isTrue();
                    assertThat(find(r.sopInstanceUid())).isPresent();
                }
            }
        } finally {
            allowAll();
        }
    }

    /** Re-sending an instance while others are batched still follows the duplicates policy (identical: unchanged). */
    @Test
    void identicalResendsInABatchAreDuplicatesNotNewRows() throws Exception {
        List<Dataset> sent = instances("");
        for (Dataset ds : sent) {
            ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MODALITY1");
        }
        List<Object> outcomes = storeWhileTheIndexIsLocked(sent);
        for (Object o : outcomes) {
            assertThat(o).isInstanceOf(StoreResult.class);
            assertThat(((StoreResult) o).outcome()).isEqualTo(Outcome.IDENTICAL_DUPLICATE);
        }
    }

    /**
     * Instances whose SOP Instance UIDs fall on distinct lock stripes of the ingest: two UIDs on one stripe
     * would queue one store behind the other's commit, which the locked index holds back, and the batch
     * this test waits for would never form (a collision of 6 random UIDs on 64 stripes is likely enough).
     */
    private List<Dataset> instances(String sopPrefix) {
        List<Dataset> out = new ArrayList<>();
        java.util.Set<Integer> stripes = new java.util.HashSet<>();
        for (int n = 1; out.size() < STORES; n++) {
            String sop = sopPrefix.isEmpty() ? Synthetic.uid() : sopPrefix + n;
            if (stripes.add(stripe(sop))) {
                out.add(Synthetic.instance(Synthetic.uid(), "Doe^Jane", Synthetic.uid(), Synthetic.uid(), sop));
            }
        }
        return out;
    }

    private static int stripe(String sopUid) {
        return Math.floorMod(sopUid.hashCode(), IngestService.LOCK_STRIPES);
    }

    /** The first of {@code candidates} whose stripe none of {@code others} (but the one at {@code replacing}) uses. */
    private static Dataset onAFreeStripe(List<Dataset> candidates, List<Dataset> others, int replacing) {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < others.size(); i++) {
            if (i != replacing) {
                used.add(stripe(others.get(i).getString(dev.steadfast.dicom.Tag.SOPInstanceUID)));
            }
        }
        return candidates.stream().filter(d -> !used.contains(stripe(d.getString(dev.steadfast.dicom.Tag.SOPInstanceUID))))
                .findFirst().orElseThrow();
    }

    /**
     * Holds the index's write lock from another connection while every store arrives, so that
     * all of them wait for one commit; then lets go. Each element is a StoreResult or the exception.
     */
    private List<Object> storeWhileTheIndexIsLocked(List<Dataset> sent) throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor(); // as associations run
        List<Future<Object>> futures = new ArrayList<>();
        try (Connection lock = adminConnection(); Statement s = lock.createStatement()) {
            long before = ingest.indexCommitStats().waiting();
            if (index.dialect() == dev.steadfast.archive.index.Dialect.SQLITE) {
                s.execute("BEGIN IMMEDIATE");
            } else {
                lock.setAutoCommit(false);
                s.execute("LOCK TABLE instance IN EXCLUSIVE MODE");
            }
            for (Dataset ds : sent) {
                byte[] bytes = Synthetic.encode(ds);
                futures.add(pool.submit(() -> {
                    try {
                        return ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian, "MODALITY1");
                    } catch (IngestException e) {
                        return e;
                    }
                }));
            }
            // A guard against a hang, not a timing: each store fsyncs its file first, which took
            // over 30 s on this shared disk while a 1M-instance seeding ran beside the build.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            // A store that returned early (an exception before the commit) no longer waits: count it as arrived,
            // so the assertions below say what it returned instead of this loop waiting out the guard.
            while (ingest.indexCommitStats().waiting() + doneCount(futures) < before + sent.size()) {
                if (System.nanoTime() > deadline) {
                    fail("the stores did not all reach the index commit: " + ingest.indexCommitStats() + ", "
                            + doneCount(futures) + " of " + futures.size() + " returned: " + doneOutcomes(futures));
                }
                Thread.sleep(5);
            }
            if (index.dialect() == dev.steadfast.archive.index.Dialect.SQLITE) {
                s.execute("ROLLBACK");
            } else {
                lock.rollback();
            }
        }
        List<Object> out = new ArrayList<>();
        for (Future<Object> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return out;
    }

    private static long doneCount(List<Future<Object>> futures) {
        return futures.stream().filter(Future::isDone).count();
    }

    private static List<String> doneOutcomes(List<Future<Object>> futures) {
        List<String> out = new ArrayList<>();
        for (Future<Object> f : futures) {
            if (f.isDone()) {
                out.add(String.valueOf(f.resultNow()));
            }
        }
        return out;
    }

    private void refuseInstancesLike(String prefix) throws SQLException {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            if (index.dialect() == dev.steadfast.archive.index.Dialect.SQLITE) {
                s.execute("CREATE TRIGGER refuse_test BEFORE INSERT ON instance WHEN NEW.sop_uid LIKE '" + prefix
                        + "%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
            } else {
                s.execute("CREATE FUNCTION refuse_test() RETURNS trigger AS $$ BEGIN IF NEW.sop_uid LIKE '" + prefix
                        + "%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
                s.execute("CREATE TRIGGER refuse_test BEFORE INSERT ON instance FOR EACH ROW EXECUTE FUNCTION refuse_test()");
            }
        }
    }

    private void allowAll() throws SQLException {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            if (index.dialect() == dev.steadfast.archive.index.Dialect.SQLITE) {
                s.execute("DROP TRIGGER refuse_test");
            } else {
                s.execute("DROP TRIGGER refuse_test ON instance");
                s.execute("DROP FUNCTION refuse_test()");
            }
        }
    }

    private Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
    }

    private void assertNothingOf(Dataset ds) throws IOException {
        String sop = ds.getString(dev.steadfast.dicom.Tag.SOPInstanceUID);
        StorageKey key = StorageKey.of(ds.getString(dev.steadfast.dicom.Tag.StudyInstanceUID),
                ds.getString(dev.steadfast.dicom.Tag.SeriesInstanceUID), sop);
        assertThat(storage.exists(key)).as("stored bytes of a refused instance").isFalse();
        assertThat(find(sop)).as("index row of a refused instance").isEmpty();
    }

    private Optional<StoredInstance> find(String sop) {
        return index.read(tx -> tx.instances().find(sop));
    }
}
