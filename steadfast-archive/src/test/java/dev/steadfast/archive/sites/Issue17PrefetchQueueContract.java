package dev.steadfast.archive.sites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexEvents;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 17: the prior-study prefetch queue in the index, the same on SQLite and PostgreSQL. A
 * study's first instance queues one look-up in its indexing transaction (later instances, and a
 * study marked seen, queue none); a claim is a lease no second claim gets until it ends; a failed
 * try comes back when due; a given-up one stays out. Times are passed in, never waited for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Issue17PrefetchQueueContract {
    private static final long T0 = 1_000_000L;
    private static final long LEASE = 120_000L;

    private Path dir;
    private Index index;
    private IngestService ingest;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-issue17-prefetch");
        index = Index.open(indexConfig(dir));
        ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
        index.events(IndexEvents.NONE);
        index.addEvents(new PrefetchQueue.Trigger(Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC)));
    }

    @AfterAll
    void close() {
        index.close();
    }

    @BeforeEach
    void empty() {
        index.write(tx -> {
            try (var st = tx.connection().createStatement()) {
                st.executeUpdate("DELETE FROM prefetch_queue");
            }
            return null;
        });
    }

    private void store(String patient, String study) throws Exception {
        var ds = Synthetic.instance(patient, "Doe^Jane", study, Synthetic.uid(), Synthetic.uid());
        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "CT1");
    }

    private Optional<PrefetchQueue.Task> claim(long now) {
        return index.write(tx -> new PrefetchQueue(tx).claim(now, now + LEASE));
    }

    private long waiting() {
        return index.read(tx -> new PrefetchQueue(tx).waiting());
    }

    @Test
    void aStudysFirstInstanceQueuesOneLookUpAndASeenStudyNone() throws Exception {
        String study = Synthetic.uid();
        store("P17", study);
        store("P17", study);
        String prior = Synthetic.uid();
        index.write(tx -> {
            new PrefetchQueue(tx).seen(prior, "P17", T0);
            return null;
        });
        store("P17", prior); // a prior being fetched: no look-up of its own
        assertThat(waiting()).isEqualTo(1);
        PrefetchQueue.Task t = claim(T0).orElseThrow();
        assertThat(t.studyUid()).isEqualTo(study);
        assertThat(t.patientId()).isEqualTo("P17");
        assertThat(t.attempts()).isZero();
    }

    @Test
    void aClaimIsALeaseAndAFailureComesBackWhenDue() throws Exception {
        String study = Synthetic.uid();
        store("P18", study);
        assertThat(claim(T0)).isPresent();
        assertThat(claim(T0 + 1)).as("leased").isEmpty();
        assertThat(claim(T0 + LEASE)).as("the lease ended: a dead node's claim comes back").isPresent();

        index.write(tx -> {
            new PrefetchQueue(tx).failed(study, 1, T0 + LEASE + 5_000, "peer unreachable");
            return null;
        });
        assertThat(claim(T0 + LEASE + 4_999)).isEmpty();
        assertThat(claim(T0 + LEASE + 5_000).orElseThrow().attempts()).isEqualTo(1);

        index.write(tx -> {
            new PrefetchQueue(tx).failed(study, 8, -1, "given up");
            return null;
        });
        assertThat(waiting()).isZero();
        assertThat(claim(Long.MAX_VALUE / 2)).isEmpty();
    }

    @Test
    void doneIsDoneAndArrivingAgainQueuesNothing() throws Exception {
        String study = Synthetic.uid();
        store("P19", study);
        assertThat(claim(T0)).isPresent();
        index.write(tx -> {
            new PrefetchQueue(tx).done(study);
            return null;
        });
        store("P19", study);
        assertThat(waiting()).isZero();
        assertThat(claim(T0 + 10 * LEASE)).isEmpty();
    }
}
