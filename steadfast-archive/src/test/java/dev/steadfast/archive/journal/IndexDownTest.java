package dev.steadfast.archive.journal;

import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.JournaledIngest;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 7: PostgreSQL stopped in the middle of ingest. Every instance keeps being acknowledged
 * (journaled), retrieval by UID keeps working from storage, queries fail fast with a temporary
 * failure, and when the database is back every acknowledged instance is indexed exactly once.
 */
class IndexDownTest {
    @TempDir
    Path dir;
    @AutoClose
    private JournaledIngest node;

    @Test
    void postgresStoppedDuringIngestThenStartedIndexesEveryAcknowledgedInstanceExactlyOnce() throws Exception {
        node = JournaledIngest.onOwnPostgres(dir);
        Index index = node.index();
        FileSystemStorage storage = node.storage();
        IngestJournal journal = node.journal();
        IngestService ingest = node.ingest();
        QueryEngine query = new QueryEngine(index, QueryConfig.DEFAULT);
        RetrieveEngine retrieve = new RetrieveEngine(index, storage);

        String patient = Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        List<StoreResult> acked = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i == 15) {
                node.stopPostgres(); // the database goes away mid-ingest
            }
            Dataset ds = Synthetic.instance(patient, "Down^Index", study, series, Synthetic.uid());
            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
            byte[] bytes = Synthetic.encode(ds);
            long t0 = System.nanoTime();
            acked.add(ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian, "MOD"));
            sent.add(bytes);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        }
        // a re-send of an instance journaled during the outage
        acked.add(ingest.store(new ByteArrayInputStream(sent.get(20)), UID.ExplicitVRLittleEndian, "MOD"));
        assertThat(journal.pending()).isGreaterThanOrEqualTo(25);
        assertThat(journal.health().up()).isFalse();

        // queries: a clear temporary failure, fast
        long t0 = System.nanoTime();
        QueryRequest studies = QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys(study));
        assertThatThrownBy(() -> query.queryAll(studies))
                .isInstanceOfSatisfying(IndexException.class, e -> assertThat(e.isTransient()).as(e.toString()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(12));

        // retrieval by UID from storage alone, bytes verified
        StoreResult journaled = acked.get(30);
        List<StoredInstance> found = retrieve.locate(RetrieveRequest.instance(study, series,
                journaled.sopInstanceUid()));
        assertThat(found).hasSize(1);
        assertThat(sha(retrieve.open(found.getFirst()))).isEqualTo(journaled.sha256());
        assertThat(retrieve.locate(RetrieveRequest.series(study, series))).hasSize(40);

        // the database returns: replay indexes everything, in order, once
        node.startPostgres();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (journal.pending() > 0 && System.nanoTime() < deadline) {
            journal.replay();
            Thread.sleep(200);
        }
        assertThat(journal.pending()).isZero();
        assertThat(journal.deferring()).isFalse();
        journal.replay(); // again: nothing changes
        assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(40);
        for (StoreResult r : acked) {
            StoredInstance row = index.read(tx -> tx.instances().find(r.sopInstanceUid())).orElseThrow();
            assertThat(row.record().sha256()).isEqualTo(r.sha256());
            assertThat((long) index.read(tx -> tx.instances().replacementCount(r.sopInstanceUid()))).isZero();
            assertThat(sha(retrieve.open(row))).isEqualTo(r.sha256());
        }
        List<Dataset> answer = query.queryAll(studies);
        assertThat(answer).hasSize(1);
        assertThat(answer.getFirst().getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo("40");
        // and ingest goes straight to the index again
        ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(patient, "Down^Index", study, series,
                Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");
        assertThat(journal.pending()).isZero();
        assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(41);
    }

    private static Dataset keys(String study) {
        Dataset k = new Dataset();
        k.setString(Tag.StudyInstanceUID, VR.UI, study);
        k.setNull(Tag.NumberOfStudyRelatedInstances, VR.IS);
        return k;
    }

    private static String sha(InputStream in) throws Exception {
        try (in) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return java.util.HexFormat.of().formatHex(md.digest());
        }
    }
}
