package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.get;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.post;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, found by attack7a: bit rot in the stored copy of the instance at the head of an ordered
 * forward queue, on a single storage target (nothing repairs it there). Before, the failed check was
 * taken for an unreachable destination and retried without limit: no later instance was ever sent
 * (the replication lag grew without bound). Now it counts toward the entry's dead letter, naming the
 * damaged copy, and the queue moves on: every other instance reaches the destination as received.
 */
class Issue17DamagedCopyDoesNotBlockQueueTest {
    @TempDir
    Path tmp;

    @Test
    void aDamagedHeadBecomesADeadLetterAndTheRestIsForwarded() throws Exception {
        List<Path> files = ForwardingRig.instances(3);
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB"), List.of());
             ArchiveNode a = ForwardingRig.node(tmp.resolve("a"), """
                     forwarding:
                       max-attempts: 2
                       retry-initial-ms: 100
                       retry-max-seconds: 1
                       poll-ms: 50
                       destinations:
                         site-b:
                           type: dicom
                           remote-ae: site-b
                       rules:
                         - destination: site-b
                     """, Map.of("dicom.ae-title", "SITEA"), List.of("site-b=SITEB@127.0.0.1:" + b.dicomPort()))) {
            assertThat(post(a, "/api/forwarding/site-b/pause").statusCode()).isEqualTo(200);
            storescu(a, "MODALITY", files);
            Map<String, String> atA = inventory(a);
            String damaged = atA.keySet().iterator().next(); // the head of the queue
            Path file = a.storage().root().resolve(a.index().read(tx -> tx.instances().find(damaged)).orElseThrow().record().storageKey());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(f.length() - 100);
                int x = f.read();
                f.seek(f.length() - 100);
                f.write(x ^ 0x10);
            }
            assertThat(post(a, "/api/forwarding/site-b/resume").statusCode()).isEqualTo(200);

            await("the queue moves past the damaged head", unchecked(() -> queue(a, "site-b", "depth") == 0));
            Map<String, String> expected = new LinkedHashMap<>(atA);
            expected.remove(damaged);
            assertThat(inventory(b)).as("every other instance, as received").containsExactlyEntriesOf(expected);
            assertThat(queue(a, "site-b", "deadLetters")).isEqualTo(1);
            String body = get(a, "/api/forwarding/site-b").body();
            assertThat(body).contains(damaged).contains("is damaged");
        }
    }
}
