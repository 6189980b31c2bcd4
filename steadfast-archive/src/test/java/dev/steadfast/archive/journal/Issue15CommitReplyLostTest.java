package dev.steadfast.archive.journal;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.testing.JournaledIngest;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.testing.SharedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (chaos run, database fail-over): a COMMIT the server executed but whose reply never
 * reached the node (the connection broke in between, as when the primary dies or the network
 * cuts) is never taken as done on faith: live ingest retries on a new connection, under the
 * instance's claim, and acknowledges once that transaction sees the row (or journals it, were the
 * database gone); a journal replay keeps its entry until a transaction saw the row. Either way the
 * instance ends indexed exactly once and no entry is left. Real PostgreSQL, the
 * real IngestService/IngestJournal/Index wiring; the reply is cut by a TCP relay at that exact point.
 */
class Issue15CommitReplyLostTest {
    private static final Pattern HOST_PORT = Pattern.compile("//[^:/]+:(\\d+)/");

    @TempDir
    Path dir;
    private CommitReplyCutter cutter;
    private JournaledIngest node;
    private Index index;
    private IngestJournal journal;
    private IngestService ingest;

    @BeforeEach
    void start() throws Exception {
        String url = SharedPostgres.freshDatabase();
        Matcher m = HOST_PORT.matcher(url);
        assertThat(m.find()).as(url).isTrue();
        cutter = new CommitReplyCutter(Integer.parseInt(m.group(1)));
        String viaCutter = m.replaceFirst("//127.0.0.1:" + cutter.port() + "/");
        node = JournaledIngest.on(dir, IndexConfig.postgres(viaCutter, "postgres", null)); // as ArchiveNode wires it
        index = node.index();
        journal = node.journal();
        ingest = node.ingest();
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (cutter != null) {
            cutter.close();
        }
    }

    @Test
    void liveCommitWhoseReplyIsLostIsFoundCommittedByTheRetryAndIndexedOnce() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        StoreResult first = store(study, series);
        assertThat(journal.pending()).isZero();

        cutter.arm(1);
        StoreResult acked = store(study, series); // acknowledged: its commit ran, the node never heard so
        assertThat(cutter.cut()).as("commits whose reply was cut").isEqualTo(1);
        assertThat(acked.outcome()).isEqualTo(StoreResult.Outcome.STORED);

        // The node's retry, on a new connection and still holding the instance's claim, reads the
        // row the lost commit wrote: the instance is indexed, and the node does not fall back to its
        // journal (before: the retry inserted again, failed six times on the unique SOP Instance UID,
        // and one lost reply sent the node into journaling every store).
        assertThat(row(acked)).as("committed by the server").isNotNull();
        assertThat(journal.pending()).as("journal entries").isZero();
        assertThat(journal.deferring()).as("node journaling").isFalse();

        awaitReplayed();
        assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(2);
        for (StoreResult r : new StoreResult[] {first, acked}) {
            StoredInstance row = row(r);
            assertThat(row.record().sha256()).isEqualTo(r.sha256());
            assertThat((long) index.read(tx -> tx.instances().replacementCount(r.sopInstanceUid()))).isZero();
        }
    }

    @Test
    void replayCommitWhoseReplyIsLostKeepsTheEntryUntilTheRowIsSeen() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        cutter.down(true); // the database unreachable: ingest journals
        StoreResult acked = store(study, series);
        assertThat(journal.pending()).isEqualTo(1);
        cutter.down(false);

        cutter.arm(1); // the replay's commit runs, its reply is lost
        awaitReplayed();
        assertThat(cutter.cut()).as("commits whose reply was cut").isEqualTo(1);
        assertThat((long) index.read(tx -> tx.instances().count())).isEqualTo(1);
        assertThat(row(acked).record().sha256()).isEqualTo(acked.sha256());
        assertThat(dir.resolve("journal").resolve("failed")).doesNotExist();
    }

    private StoreResult store(String study, String series) throws Exception {
        Dataset ds = Synthetic.instance(Synthetic.uid(), "Cut^Reply", study, series, Synthetic.uid());
        return ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MOD");
    }

    private StoredInstance row(StoreResult r) {
        return index.read(tx -> tx.instances().find(r.sopInstanceUid())).orElse(null);
    }

    /** Replays until the journal is empty (the index's circuit breaker may hold calls back a moment). */
    private void awaitReplayed() throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // against a hang only
        while ((journal.pending() > 0 || journal.deferring()) && System.nanoTime() < guard) {
            journal.replay();
            Thread.sleep(100);
        }
        assertThat(journal.pending()).isZero();
        assertThat(journal.deferring()).isFalse();
    }
}
