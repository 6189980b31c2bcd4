package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.steadfast.testing.SharedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, schema migrations on a cluster. Three nodes starting at the same moment on an empty
 * PostgreSQL database, or on one at the previous migration version, apply each migration exactly
 * once (Flyway's lock) and all start. And a rolling upgrade's other half: a node of this release
 * starts and ingests, finds and retrieves on a database a next release has already migrated with
 * an expand-only migration (docs/DEPLOYMENT.md, "Rolling upgrade").
 */
class Issue15MigrationTest {
    private static final String OURS = "classpath:db/migration/postgresql";

    @TempDir
    Path tmp;

    @Test
    void threeNodesStartingAtOnceOnAnEmptyDatabaseMigrateItOnce() throws Exception {
        String url = SharedPostgres.freshDatabase();
        startThreeAtOnce(url);
        assertMigratedOnceEach(url, newest(url));
    }

    @Test
    void threeNodesStartingAtOnceOnADatabaseAtThePreviousVersionMigrateItOnce() throws Exception {
        String url = SharedPostgres.freshDatabase();
        List<MigrationInfo> ours = List.of(flyway(url, OURS).load().info().all());
        String previous = ours.get(ours.size() - 2).getVersion().getVersion();
        flyway(url, OURS).target(previous).load().migrate();
        assertThat(version(url)).as("the database a node of the previous release left").isEqualTo(previous);
        startThreeAtOnce(url);
        assertMigratedOnceEach(url, newest(url));
    }

    @Test
    void aNodeOfThisReleaseWorksOnADatabaseTheNextReleaseExpanded() throws Exception {
        String url = SharedPostgres.freshDatabase();
        flyway(url, OURS, "classpath:issue15/next-release").load().migrate();
        assertThat(version(url)).as("migrated by the next release").isEqualTo("99");
        Path data = tmp.resolve("old");
        try (ArchiveNode node = TestNodes.start(data, url, Map.of(), List.of())) {
            String study = Instances.uid();
            String sop = Instances.uid();
            ClientOptions o = new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                    .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian)
                    .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
                    .scpRole(UID.SecondaryCaptureImageStorage);
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                assertThat(c.store(Instances.source(Instances.image(study, Instances.uid(), sop, 4096)), null, -1).status())
                        .isEqualTo(Status.SUCCESS);
                List<String> found = new ArrayList<>();
                Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                        .setString(Tag.StudyInstanceUID, VR.UI, study).setString(Tag.SOPInstanceUID, VR.UI, "");
                DimseResponse find = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys,
                        ds -> found.add(ds.getString(Tag.SOPInstanceUID).strip()));
                assertThat(find.status()).isEqualTo(Status.SUCCESS);
                assertThat(found).containsExactly(sop);
                List<String> got = new ArrayList<>();
                DimseResponse get = c.get(UID.StudyRootQueryRetrieveInformationModelGet, new Dataset()
                        .setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study), (rq, in) -> {
                            got.add(rq.sopInstanceUid());
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                            return Status.SUCCESS;
                        }, null);
                assertThat(get.status()).as(get.toString()).isEqualTo(Status.SUCCESS);
                assertThat(got).containsExactly(sop);
            }
        }
        assertThat(version(url)).as("this release's node left the newer schema alone").isEqualTo("99");
    }

    /** Starts three nodes on {@code url} released at the same moment; each must start. */
    private void startThreeAtOnce(String url) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService starters = Executors.newFixedThreadPool(3);
        List<Future<ArchiveNode>> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Path data = tmp.resolve("node-" + i + "-" + System.nanoTime());
                nodes.add(starters.submit(() -> {
                    go.await();
                    return TestNodes.start(data, url, Map.of(), List.of());
                }));
            }
            go.countDown();
            for (Future<ArchiveNode> f : nodes) {
                try (ArchiveNode node = f.get(120, TimeUnit.SECONDS)) {
                    java.util.Optional<dev.steadfast.archive.index.StoredInstance> none = node.index().read(tx -> tx.instances().find("1.2.3.4"));
                    assertThat(none).as("a working index").isEmpty();
                }
            }
        } finally {
            starters.shutdownNow();
        }
    }

    private static void assertMigratedOnceEach(String url, String newest) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, count(*) FROM flyway_schema_history WHERE version IS NOT NULL"
                     + " GROUP BY version")) {
            int versions = 0;
            while (rs.next()) {
                versions++;
                assertThat(rs.getInt(2)).as("times migration " + rs.getString(1) + " was applied").isEqualTo(1);
            }
            // Count the migration files rather than trust the newest number (a merge may leave a gap).
            assertThat(versions).as("migrations applied").isEqualTo(flyway(url, OURS).load().info().all().length);
        }
        assertThat(version(url)).isEqualTo(newest);
    }

    /** This release's newest migration. */
    private static String newest(String url) {
        MigrationInfo[] all = flyway(url, OURS).load().info().all();
        return all[all.length - 1].getVersion().getVersion();
    }

    /** The schema version, from Flyway's own history (highest successful versioned migration). */
    private static String version(String url) {
        return flyway(url, OURS, "classpath:issue15/next-release").load().info().current().getVersion().getVersion();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url, String... locations) {
        return Flyway.configure().dataSource(url, "postgres", null).locations(locations);
    }
}
