package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: three nodes on one PostgreSQL and one storage folder each heartbeat into the index;
 * {@code /api/cluster} on any of them lists all three as up. A node killed with kill -9 turns
 * {@code gone} once its heartbeat is older than the node timeout; one stopped cleanly is gone at
 * once. {@code /metrics} carries the node id.
 */
class Issue15ClusterMembershipTest {
    @TempDir
    Path tmp;

    @Test
    void apiClusterListsEveryNodeAndAKilledNodeTurnsGoneAfterTheTimeout() throws Exception {
        String db = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
        Path shared = tmp.resolve("shared-storage");
        try (ArchiveNode a = ClusterNodes.inProcess(tmp.resolve("a"), db, ClusterNodes.options("node-a", shared, Map.of()), List.of());
             ArchiveNode b = ClusterNodes.inProcess(tmp.resolve("b"), db, ClusterNodes.options("node-b", shared, Map.of()), List.of());
             ClusterNodes.Forked c = ClusterNodes.fork(tmp.resolve("c"), db, ClusterNodes.options("node-c", shared, Map.of()), null)) {
            String listed = awaitStates(a.httpPort(), Map.of("node-a", "up", "node-b", "up", "node-c", "up"));
            assertThat(listed).contains("\"self\":\"node-a\"").contains("\"dicom\":\"127.0.0.1:" + c.dicomPort() + "\"");
            // Every node answers for the whole cluster, the killed-to-be one too.
            assertThat(ClusterNodes.stateOf(ClusterNodes.get(c.httpPort(), "/api/cluster"), "node-a")).isEqualTo("up");

            assertThat(ClusterNodes.get(a.httpPort(), "/metrics")).contains("steadfast_node_info{node_id=\"node-a\"");
            assertThat(ClusterNodes.get(c.httpPort(), "/metrics")).contains("steadfast_node_info{node_id=\"node-c\"");

            c.kill(); // no goodbye: only the missing heartbeat tells
            awaitStates(a.httpPort(), Map.of("node-a", "up", "node-b", "up", "node-c", "gone"));

            b.close(); // a clean stop says so at once
            String after = ClusterNodes.get(a.httpPort(), "/api/cluster");
            assertThat(ClusterNodes.stateOf(after, "node-b")).isEqualTo("gone");
            assertThat(ClusterNodes.stateOf(after, "node-a")).isEqualTo("up");
        }
    }

    /** Polls /api/cluster until every node has its expected state (the heartbeat timeout is seconds). */
    private static String awaitStates(int httpPort, Map<String, String> expected) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = ClusterNodes.get(httpPort, "/api/cluster");
            String json = last;
            if (expected.entrySet().stream().allMatch(e -> e.getValue().equals(ClusterNodes.stateOf(json, e.getKey())))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("nodes never reached " + expected + "; /api/cluster: " + last);
    }
}
