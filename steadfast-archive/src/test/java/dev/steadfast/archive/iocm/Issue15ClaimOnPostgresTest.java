package dev.steadfast.archive.iocm;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.InstanceClaim;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, the UID claim on PostgreSQL after it lost two round trips per store (the lock and the
 * row read sent together; the rejection look-up in the claim's own transaction): two nodes (two
 * indexes and ingest services on one database and one storage folder) sent the same instance while
 * a third party holds its claim both wait, and once it is released one stores it and the other sees
 * that row (an identical duplicate, not a failed insert); and a rejected instance is still refused
 * on PostgreSQL (IOCM, issue 18, looked up inside the claim).
 */
class Issue15ClaimOnPostgresTest {
    @TempDir
    Path dir;

    @Test
    void twoNodesWaitingForOneClaimStoreTheInstanceOnceAndTheSecondSeesIt() throws Exception {
        IndexConfig db = EmbeddedPostgres.freshDatabase();
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("shared"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Index node1 = Index.open(db); Index node2 = Index.open(db)) {
            IngestService ingest1 = new IngestService(storage, node1, IngestConfig.DEFAULT);
            IngestService ingest2 = new IngestService(storage, node2, IngestConfig.DEFAULT);
            String study = Synthetic.uid();
            Dataset image = Synthetic.instance("P1", "Doe^P1", study, Synthetic.uid(), Synthetic.uid());
            String sop = image.getString(Tag.SOPInstanceUID);
            List<Future<StoreResult>> sends;
            try (InstanceClaim held = node1.claim(sop)) {
                assertThat(held.current()).isEmpty();
                sends = List.of(pool.submit(() -> store(ingest1, image)), pool.submit(() -> store(ingest2, image)));
                awaitAdvisoryWaiters(node1, 2); // both stores reached the database and wait for the claim
                assertThat(sends).noneMatch(Future::isDone);
            }
            List<StoreResult.Outcome> outcomes = List.of(sends.get(0).get().outcome(), sends.get(1).get().outcome());
            assertThat(outcomes).containsExactlyInAnyOrder(StoreResult.Outcome.STORED, StoreResult.Outcome.IDENTICAL_DUPLICATE);
            List<?> rows = node2.read(tx -> tx.instances().ofStudy(study));
            assertThat(rows).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectedInstanceIsRefusedOnPostgres() throws Exception {
        try (Index index = Index.open(EmbeddedPostgres.freshDatabase())) {
            IngestService ingest = new IngestService(new FileSystemStorage(dir.resolve("store")), index, IngestConfig.DEFAULT);
            String study = Synthetic.uid();
            Dataset image = Synthetic.instance("P1", "Doe^P1", study, Synthetic.uid(), Synthetic.uid());
            assertThat(store(ingest, image).outcome()).isEqualTo(StoreResult.Outcome.STORED);
            assertThat(store(ingest, RejectionNotes.quality(study, image)).outcome()).isEqualTo(StoreResult.Outcome.STORED);
            assertThatThrownBy(() -> store(ingest, image)).isInstanceOfSatisfying(IngestException.class,
                    e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.INSTANCE_REJECTED));
        }
    }

    /** Until {@code n} backends of this database wait for an advisory lock (the claim). */
    private static void awaitAdvisoryWaiters(Index index, int n) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            int waiting = index.read(tx -> {
                try (ResultSet rs = tx.connection().createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            if (waiting >= n) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the two stores never waited for the held claim");
    }

    private static StoreResult store(IngestService ingest, Dataset ds) throws Exception {
        return ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MOD");
    }
}
