package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.get;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.post;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.audit.ChainedAuditLog;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.AuditSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.TcpProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "link down": site A forwards everything to site B (C-STORE) through a TCP proxy whose
 * link the test cuts. Stores to A keep succeeding, A's queue grows and is retried; when the link
 * returns it drains by itself, in arrival order, every instance exactly once and byte for byte.
 * Then pause and resume through /api/forwarding. (PostgreSQL: Issue17TwoNodesDrainOneQueueTest.)
 */
class Issue17LinkDownTest {
    @TempDir
    Path tmp;

    private static final String YAML = """
            forwarding:
              retry-initial-ms: 100
              retry-max-seconds: 1
              poll-ms: 100
              destinations:
                site-b:
                  type: dicom
                  remote-ae: site-b
              rules:
                - destination: site-b
            """;

    /** Site A's index. */
    TestNodes.Db db() {
        return TestNodes.Db.SQLITE;
    }

    @Test
    void aCutLinkQueuesEverythingAndDrainsInOrderWhenItReturns() throws Exception {
        List<Path> files = ForwardingRig.instances(8);
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB"), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", b.dicomPort());
             ArchiveNode a = ForwardingRig.node(db(), tmp.resolve("a"), YAML, Map.of("dicom.ae-title", "SITEA"),
                     List.of("site-b=SITEB@127.0.0.1:" + link.port()))) {
            link.cut();
            storescu(a, "MODALITY", files.subList(0, 6)); // every store acknowledged while B is unreachable
            assertThat(queue(a, "site-b", "depth")).isEqualTo(6);
            await("A retries the unreachable destination", unchecked(() -> queue(a, "site-b", "failed") >= 3));
            assertThat(get(a, "/api/forwarding/site-b").body()).contains("destination unreachable");
            String metrics = get(a, "/metrics").body();
            assertThat(metrics).contains("steadfast_forward_queue_depth{destination=\"site-b\"} 6");
            java.util.regex.Matcher age = java.util.regex.Pattern
                    .compile("steadfast_forward_oldest_age_seconds\\{destination=\"site-b\"} ([0-9.]+)").matcher(metrics);
            assertThat(age.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(age.group(1))).isPositive(); // the first entry waits since before the retries
            assertThat(inventory(b)).isEmpty();

            link.restore();
            await("A's queue drains to B", unchecked(() -> queue(a, "site-b", "depth") == 0));
            // In arrival order, each once, the data set bytes as received (same SHA-256 at both sites).
            assertThat(inventory(b)).containsExactlyEntriesOf(inventory(a));
            assertThat(b.metrics().instancesReceived()).isEqualTo(6);
            assertThat(queue(a, "site-b", "sent")).isEqualTo(6);

            // Paused: nothing leaves, whatever drains; resumed: the rest follows.
            assertThat(post(a, "/api/forwarding/site-b/pause").statusCode()).isEqualTo(200);
            storescu(a, "MODALITY", files.subList(6, 8));
            assertThat(a.forwarding().runOnce()).isZero();
            assertThat(get(a, "/api/forwarding/site-b").body()).contains("\"paused\":true").contains("\"depth\":2");
            assertThat(inventory(b)).hasSize(6);
            assertThat(post(a, "/api/forwarding/site-b/resume").statusCode()).isEqualTo(200);
            await("the paused entries follow", unchecked(() -> queue(a, "site-b", "depth") == 0));
            assertThat(inventory(b)).containsExactlyEntriesOf(inventory(a)).hasSize(8);
            assertThat(b.metrics().instancesReceived()).isEqualTo(8);
        }
        // Forwarding hands patient data to another system: A's audit trail says so (DICOM Instances Transferred).
        Path log = tmp.resolve("a/data/audit/access.log");
        assertThat(ChainedAuditLog.verify(log).intact()).isTrue();
        List<String> records = Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(l -> l.split(" ", 3)[2]).toList();
        for (String x : records) {
            assertThat(AuditSchema.problems(x)).as(x).isEmpty();
        }
        String study = ForwardingRig.studyOf(files.get(0));
        assertThat(records).anySatisfy(x -> assertThat(x).contains("csd-code=\"110104\"", "EventActionCode=\"R\"",
                "UserID=\"SITEA\"", "UserID=\"SITEB\"", "Destination Role ID", "ParticipantObjectID=\"" + study + "\""));
    }
}
