package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.post;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, found by attack7a: a destination slower than the queue's lease. Two nodes share one
 * PostgreSQL index (one queue); the destination, dcmtk's storescp, sleeps 5 s after each C-STORE,
 * so the next one's answer takes longer than the 4 s lease (as a slow PACS may take the whole
 * 5-minute DIMSE timeout, the default lease). Before, the lease was renewed only between two sends,
 * so it lapsed during one: the other node claimed the same entries and sent them again while the
 * first node was still sending them (each instance more than once, the ordered queue twice over).
 * Now the lease is renewed while the link opens and the send is in progress, and a node sends
 * nothing it no longer holds: the destination gets each instance once.
 */
class Issue17SlowDestinationTwoNodesTest {
    @TempDir
    Path tmp;

    @Test
    void aDestinationSlowerThanTheLeaseGetsEachInstanceOnce() throws Exception {
        List<Path> files = ForwardingRig.instances(2);
        int port = Peers.freePort();
        Path received = Files.createDirectories(tmp.resolve("received"));
        // +uf: one file per C-STORE received, so a second copy of an instance shows as a second file.
        Process scp = Peers.start(List.of(Peers.tool("storescp"), "--sleep-after", "5", "+uf", "-aet", "SLOWPACS",
                "-od", received.toString(), String.valueOf(port)), tmp.resolve("storescp.log"));
        try {
            Peers.awaitPort(port, scp, 10_000);
            String index = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
            Path storage = Files.createDirectories(tmp.resolve("shared-storage"));
            Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), """
                    forwarding:
                      lease-seconds: 4
                      poll-ms: 50
                      destinations:
                        slow:
                          type: dicom
                          remote-ae: slow
                      rules:
                        - destination: slow
                    """);
            List<String> peers = List.of("slow=SLOWPACS@127.0.0.1:" + port);
            Map<String, String> flags = Map.of("dicom.ae-title", "SITEA", "storage.path", storage.toString());
            try (ArchiveNode one = ArchiveNode.start(TestNodes.config(yaml, tmp.resolve("one"), index, flags, peers));
                 ArchiveNode two = ArchiveNode.start(TestNodes.config(yaml, tmp.resolve("two"), index, flags, peers))) {
                assertThat(post(one, "/api/forwarding/slow/pause").statusCode()).isEqualTo(200);
                storescu(one, "MODALITY", files);
                assertThat(post(two, "/api/forwarding/slow/resume").statusCode()).isEqualTo(200);
                await("the queue drains", unchecked(() -> queue(one, "slow", "depth") == 0));
                assertThat(queue(two, "slow", "sent")).isEqualTo(files.size());
                assertThat(queue(two, "slow", "deadLetters")).isZero();
                // The C-STORE answer comes after storescp wrote its file: every send that completed is counted here.
                try (Stream<Path> s = Files.list(received)) {
                    assertThat(s.filter(f -> !f.getFileName().toString().startsWith(".")).toList())
                            .as("C-STOREs received by the destination").hasSize(files.size());
                }
            }
        } finally {
            Peers.stop(scp);
        }
    }
}
