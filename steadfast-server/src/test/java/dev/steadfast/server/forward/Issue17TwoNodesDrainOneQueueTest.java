package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.post;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 in a cluster: two nodes share one PostgreSQL index and one storage folder, so one
 * forwarding queue. Paused while instances arrive at node 1, then resumed through node 2's API
 * (the flag is in the index): both drain it with small batches and leases, and B gets every
 * instance once, in arrival order.
 */
class Issue17TwoNodesDrainOneQueueTest {
    @TempDir
    Path tmp;

    private static final String YAML = """
            forwarding:
              batch: 2
              retry-initial-ms: 100
              poll-ms: 50
              destinations:
                site-b:
                  type: dicom
                  remote-ae: site-b
              rules:
                - destination: site-b
            """;

    @Test
    void twoNodesSendEachInstanceOnceAndInOrder() throws Exception {
        List<Path> files = ForwardingRig.instances(8);
        String index = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
        Path storage = Files.createDirectories(tmp.resolve("shared-storage"));
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB"), List.of())) {
            List<String> peers = List.of("site-b=SITEB@127.0.0.1:" + b.dicomPort());
            Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), YAML);
            Map<String, String> flags = Map.of("dicom.ae-title", "SITEA", "storage.path", storage.toString());
            try (ArchiveNode one = ArchiveNode.start(TestNodes.config(yaml, tmp.resolve("one"), index, flags, peers));
                 ArchiveNode two = ArchiveNode.start(TestNodes.config(yaml, tmp.resolve("two"), index, flags, peers))) {
                assertThat(post(one, "/api/forwarding/site-b/pause").statusCode()).isEqualTo(200);
                storescu(one, "MODALITY", files);
                assertThat(queue(two, "site-b", "depth")).isEqualTo(8); // one queue, seen from either node
                assertThat(post(two, "/api/forwarding/site-b/resume").statusCode()).isEqualTo(200);
                await("the shared queue drains", unchecked(() -> queue(one, "site-b", "depth") == 0));
                assertThat(inventory(b)).containsExactlyEntriesOf(inventory(one));
                assertThat(b.metrics().instancesReceived()).isEqualTo(8);
                assertThat(queue(two, "site-b", "sent")).isEqualTo(8);
            }
        }
    }
}
