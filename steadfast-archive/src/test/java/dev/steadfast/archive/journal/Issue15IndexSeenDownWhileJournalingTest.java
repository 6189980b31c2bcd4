package dev.steadfast.archive.journal;

import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.testing.JournaledIngest;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;

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
    @AutoClose
    private JournaledIngest node;

    @Test
    void theFirstInstanceJournaledAfterTheDatabaseDiedMarksTheIndexDown() throws Exception {
        node = JournaledIngest.onOwnPostgres(dir);
        IngestService ingest = node.ingest();

        String patient = Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(patient, "Down^Seen", study, series,
                Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");
        assertThat(node.index().health().up()).as("index up while the database answers").isTrue();

        node.stopPostgres(); // the database goes away
        ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(patient, "Down^Seen", study, series,
                Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");

        assertThat(node.journal().pending()).as("the second instance journaled").isEqualTo(1);
        assertThat(node.index().health().up()).as("index seen down once ingest journals").isFalse();
        assertThat(node.index().health().lastError()).as("why, for the operator").isNotBlank();
    }
}
