package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.InstanceClaim;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.testing.JournaledIngest;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15: on PostgreSQL the first thing a store asks of the index is the instance's claim. When the claim cannot
 * get a connection because the database is gone, the index's circuit breaker counts it, so {@code Index.health()}
 * ({@code /health}, {@code /metrics}) says the index is down after its two failures, whoever calls: before, only
 * the ingest journal told the index, and a store without one ({@code import}) left it "up" however often it failed.
 * A claim that fails because the claims pool is full is no sign of the database: it never opens the breaker,
 * neither through ingest with the journal (as serve) nor without it. Once the database is back, a claim that is
 * the breaker's trial call closes it again.
 */
class Issue15ClaimSeesDatabaseDownTest {
    @TempDir
    Path dir;
    @AutoClose
    private JournaledIngest node;

    @Test
    void aFullClaimsPoolLeavesTheIndexUpAndAStoppedDatabaseTakesItDown() throws Exception {
        // Two index connections (the fewest the schema migration works with): four claims fill the claims pool.
        node = JournaledIngest.onOwnPostgres(dir, c -> new IndexConfig(c.jdbcUrl(), c.username(), c.password(), 2,
                c.maxRetries()));
        IngestService withJournal = node.ingest();
        IngestService withoutJournal = node.withoutJournal();
        store(withoutJournal);
        assertThat(node.index().health().up()).as("index up while the database answers").isTrue();

        List<InstanceClaim<Void>> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(node.index().claim(Synthetic.uid()));
            }
            assertThat(store(withJournal).outcome()).as("acknowledged, journaled").isEqualTo(StoreResult.Outcome.STORED);
            assertThat(node.journal().pending()).as("journaled while the claims pool is full").isEqualTo(1);
            assertThatThrownBy(() -> store(withoutJournal)).isInstanceOfSatisfying(IngestException.class,
                    e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.INDEX_FAILURE));
            assertThat(node.index().health().up()).as("index up after two claims refused by a full claims pool")
                    .isTrue();
            node.stopPostgres();
        } finally {
            for (InstanceClaim<Void> c : held) {
                c.close(); // after the stop: their connections are found broken and leave the pool
            }
        }

        // No pooled connection left to fail on: each claim now fails to get one, the database refusing.
        for (int i = 0; i < 2; i++) { // the breaker's threshold
            assertThatThrownBy(() -> store(withoutJournal)).isInstanceOfSatisfying(IngestException.class,
                    e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.INDEX_FAILURE));
        }
        assertThat(node.index().health().up()).as("index down after two claims found no database").isFalse();
        assertThat(node.index().health().lastError()).as("why, for the operator").isNotBlank();

        // The database back. Once the breaker's open period (2 s) is over, the next call is its one trial; when
        // that call is a claim, the claim's answer decides. Before, a claim taken as the trial left the breaker
        // half-open for good: every later index call, the store's own write first, was refused.
        node.startPostgres();
        Thread.sleep(2_500); // past the open period: a wait, not a measurement
        StoreResult back = store(withoutJournal);
        assertThat(back.outcome()).isEqualTo(StoreResult.Outcome.STORED);
        Optional<StoredInstance> row = node.index().read(tx -> tx.instances().find(back.sopInstanceUid()));
        assertThat(row).as("indexed").isPresent();
        assertThat(node.index().health().up()).as("index up again").isTrue();
    }

    private static StoreResult store(IngestService ingest) throws Exception {
        return ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(Synthetic.uid(), "Claim^Down",
                Synthetic.uid(), Synthetic.uid(), Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD");
    }
}
