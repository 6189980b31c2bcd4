package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.scrub.ClusterScrub;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.dicom.UID;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: three nodes share one PostgreSQL index and two storage targets. One scrub cycle is
 * split into one partition per live node and each partition runs on one node: every object is
 * read and checked once per cycle in the whole cluster, not once per node.
 */
class Issue15ClusterScrubTest {
    private static final int OBJECTS = 24;

    @TempDir
    Path tmp;

    @Test
    void aScrubCycleOverThreeNodesChecksEachObjectOnce() throws Exception {
        String db = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
        Map<String, String> storage = Map.of("storage.targets",
                "fs:" + tmp.resolve("target-1") + ",fs:" + tmp.resolve("target-2"));
        try (ArchiveNode a = ClusterNodes.inProcess(tmp.resolve("a"), db, ClusterNodes.options("node-a", null, storage), List.of());
             ArchiveNode b = ClusterNodes.inProcess(tmp.resolve("b"), db, ClusterNodes.options("node-b", null, storage), List.of());
             ArchiveNode c = ClusterNodes.inProcess(tmp.resolve("c"), db, ClusterNodes.options("node-c", null, storage), List.of())) {
            String study = Instances.uid();
            String series = Instances.uid();
            ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
            try (DimseClient client = DimseClient.open("127.0.0.1", a.dicomPort(), o)) {
                for (int i = 0; i < OBJECTS; i++) {
                    assertThat(client.store(Instances.source(Instances.image(study, series, Instances.uid(), 1024)), null, -1).status())
                            .isEqualTo(Status.SUCCESS);
                }
            }
            List<ArchiveNode> nodes = List.of(a, b, c);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (a.membership().liveNodeIds().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100); // every node's first heartbeat is in
            }
            assertThat(a.membership().liveNodeIds()).containsExactly("node-a", "node-b", "node-c");

            a.clusterJobs().runSoon(ClusterScrub.CYCLE); // the cycle due now instead of in a week
            while (checked(nodes) < OBJECTS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            while (partitionJobsLeft(db) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(partitionJobsLeft(db)).as("partitions still queued").isZero();
            System.out.printf("scrub cycle: objects checked per node a=%d b=%d c=%d, partitions a=%d b=%d c=%d%n",
                    a.clusterScrub().objectsChecked(), b.clusterScrub().objectsChecked(), c.clusterScrub().objectsChecked(),
                    a.clusterScrub().partitionsRun(), b.clusterScrub().partitionsRun(), c.clusterScrub().partitionsRun());
            assertThat(checked(nodes)).as("objects checked in the whole cluster").isEqualTo(OBJECTS);
            assertThat(nodes.stream().mapToLong(n -> n.clusterScrub().partitionsRun()).sum()).as("partitions, one per live node")
                    .isEqualTo(3);
        }
    }

    private static long checked(List<ArchiveNode> nodes) {
        return nodes.stream().mapToLong(n -> n.clusterScrub().objectsChecked()).sum();
    }

    private static int partitionJobsLeft(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM cluster_job WHERE task_name = ?")) {
            ps.setString(1, ClusterScrub.PARTITION);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
