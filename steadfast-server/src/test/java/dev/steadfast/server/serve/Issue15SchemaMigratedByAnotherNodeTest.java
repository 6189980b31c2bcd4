package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (found as a CI flake of Issue15LostJournalNodeTest): nodes started while the shared
 * PostgreSQL was down all migrate its schema when it comes up. The one that wins serves and drains
 * journals; the others waited in Flyway's migration lock and meanwhile refused every query with
 * "index unavailable". Here another node has migrated the schema and still holds Flyway's lock
 * (as a node mid-migration or slow to release does): node B answers C-FIND all the same.
 */
class Issue15SchemaMigratedByAnotherNodeTest {
    // Flyway's PostgreSQL advisory lock: a constant plus the hash of the history table's name.
    private static final long FLYWAY_LOCK = 77431708279161L + "\"public\".\"flyway_schema_history\"".hashCode();

    @TempDir
    Path tmp;
    private EmbeddedPostgres pg;

    @AfterEach
    void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aNodeStartedWhileTheIndexWasDownAnswersOnceAnotherNodeMigratedIt() throws Exception {
        int pgPort = Peers.freePort(); // nothing listens there yet: the index is down
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        try (ArchiveNode b = TestNodes.start(tmp.resolve("b"), url, Map.of("cluster.node-id", "node-b"), List.of())) {
            pg = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(tmp.resolve("pg")).start();
            try (Index other = Index.open(IndexConfig.postgres(url, "postgres", null)); // node C wins the migration
                 Connection lock = DriverManager.getConnection(url, "postgres", null)) {
                try (var st = lock.createStatement()) {
                    st.execute("SELECT pg_advisory_lock(" + FLYWAY_LOCK + ")"); // and node B's migration waits
                }
                DimseResponse find = null;
                long guard = System.currentTimeMillis() + 30_000; // a hang guard, not a measurement
                while (System.currentTimeMillis() < guard) {
                    find = find(b);
                    if (find.status().equals(Status.SUCCESS)) {
                        break;
                    }
                    Thread.sleep(200); // node B has not yet seen the server answer
                }
                assertThat(find.status()).as("C-FIND through node B while its own migration waits: " + find).isEqualTo(Status.SUCCESS);
            }
        }
    }

    private static DimseResponse find(ArchiveNode node) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("VIEWER").calledAeTitle("STEADFAST")
                .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, "");
            return c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, ds -> true);
        }
    }
}
