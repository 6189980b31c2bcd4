package dev.steadfast.archive.journal;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: once ingest journals because the index database cannot be reached, the index reports itself down
 * ({@code /health}, {@code /metrics}), from the first journaled instance on. It used to wait for a second
 * failure, which ingest, journaling, no longer made: a single arrival after the database died left the index
 * "up" until the journal's next replay attempt (the fail-over test saw it under load).
 */
class Issue15IndexSeenDownWhileJournalingTest {
    @TempDir
    Path dir;
    private EmbeddedPostgres pg;
    private Index index;
    private IngestJournal journal;

    @AfterEach
    void stop() throws Exception {
        if (journal != null) {
            journal.close();
        }
        if (index != null) {
            index.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void theFirstInstanceJournaledAfterTheDatabaseDiedMarksTheIndexDown() throws Exception {
        pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
        index = Index.open(IndexConfig.postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", null));
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
        journal = new IngestJournal(dir.resolve("journal"), index, storage); // not started: no replay timer
        IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), journal);

        String patient = Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(patient, "Down^Seen", study, series,
                Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");
        assertThat(index.health().up()).as("index up while the database answers").isTrue();

        pg.close(); // the database goes away
        pg = null;
        ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(patient, "Down^Seen", study, series,
                Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");

        assertThat(journal.pending()).as("the second instance journaled").isEqualTo(1);
        assertThat(index.health().up()).as("index seen down once ingest journals").isFalse();
        assertThat(index.health().lastError()).as("why, for the operator").isNotBlank();
    }
}
