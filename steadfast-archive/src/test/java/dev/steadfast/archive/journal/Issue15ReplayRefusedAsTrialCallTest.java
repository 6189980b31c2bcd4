package dev.steadfast.archive.journal;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.testing.JournaledIngest;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: the index's circuit breaker and a journal replay whose first entry the index refuses (its series is
 * recorded in another study). PostgreSQL stops while the instance arrives (journaled) and starts again; once the
 * breaker's open period is over, the replay's transaction is its one trial call, and the refusal is ours, no sign
 * of the database: the entry is set aside, and the index is up and answers. Before, a transaction that failed with
 * an exception of ours (not an SQL error) reported nothing to the breaker, which stayed half-open and refused every
 * later call, queries and replays alike, until a restart.
 */
class Issue15ReplayRefusedAsTrialCallTest {
    @TempDir
    Path dir;
    @AutoClose
    private JournaledIngest node;

    @Test
    void aRefusedEntryAsTheTrialCallLeavesTheIndexUpAndAnswering() throws Exception {
        node = JournaledIngest.onOwnPostgres(dir);
        String series = Synthetic.uid();
        StoreResult first = store(Synthetic.uid(), series);
        assertThat(node.journal().pending()).as("indexed at once").isZero();

        node.stopPostgres();
        store(Synthetic.uid(), series); // the same series in another study: acknowledged, journaled
        assertThat(node.journal().pending()).isEqualTo(1);
        assertThat(node.index().health().up()).as("index down while the database is").isFalse();

        node.startPostgres();
        Thread.sleep(2_500); // past the breaker's 2 s open period: a wait, not a measurement
        node.journal().replay();
        assertThat(node.journal().pending()).as("the refused entry set aside").isZero();
        assertThat(dir.resolve("journal").resolve("failed")).isNotEmptyDirectory();

        Optional<StoredInstance> row = node.index().read(tx -> tx.instances().find(first.sopInstanceUid()));
        assertThat(row).as("the index answers").isPresent();
        assertThat(node.index().health().up()).as("index up").isTrue();
        assertThat(node.journal().deferring()).as("ingest goes to the index again").isFalse();
    }

    private StoreResult store(String study, String series) throws Exception {
        return node.ingest().store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(Synthetic.uid(),
                "Trial^Call", study, series, Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");
    }
}
