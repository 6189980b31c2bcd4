package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.S3Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 at the serve level with a real S3 server (s3proxy on loopback) as the second target,
 * policy {@code 1 of 2}: the S3 process is killed (kill -9) during ingest, sends keep succeeding,
 * {@code /health} shows the S3 target down, and once it is back repair copies what it missed.
 */
class ServeS3TargetTest {
    @TempDir
    Path tmp;

    private static final ClientOptions OPTIONS = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
            .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);

    private static String health(ArchiveNode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void send(DimseClient c, List<String> acknowledged) throws Exception {
        String sop = Instances.uid();
        DimseResponse r = c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), sop, 2000)), null, -1);
        assertThat(r.status().code()).as(r.toString()).isZero();
        acknowledged.add(sop);
    }

    private static long copiesOn(ArchiveNode node, Target target, List<String> sops) throws Exception {
        long n = 0;
        for (String sop : sops) {
            String key = node.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey();
            if (target.storage().exists(new StorageKey(key))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void quorumOneOfTwoKeepsAcknowledgingWhileS3IsDeadAndRepairsWhenItReturns() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (S3Proxy s3 = S3Proxy.started(tmp.resolve("s3"))) {
            s3.createBucket("pacs");
            Path data = tmp.resolve("data");
            String target = "s3://pacs/archive?endpoint=" + s3.endpoint() + "&access-key-id=" + S3Proxy.IDENTITY
                    + "&secret-access-key=" + S3Proxy.CREDENTIAL;
            try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                    "storage.targets", "fs:" + tmp.resolve("fs") + "," + target,
                    "storage.write-policy", "1 of 2",
                    "storage.min-free-mb", "1",
                    "storage.health-interval-seconds", "1",
                    "storage.repair-interval-seconds", "1"), List.of());
                 DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), OPTIONS)) {
                Target s3Target = node.targets().targets().get(1);
                assertThat(s3Target.name()).isEqualTo("s3:pacs/archive/");
                for (int i = 0; i < 3; i++) {
                    send(c, acknowledged);
                }
                assertThat(copiesOn(node, s3Target, acknowledged)).isEqualTo(3);
                assertThat(health(node)).startsWith("{\"status\":\"UP\"");

                s3.kill();
                for (int i = 0; i < 4; i++) {
                    send(c, acknowledged);
                }
                String h = health(node);
                assertThat(h).startsWith("{\"status\":\"DEGRADED\"").contains("{\"name\":\"s3:pacs/archive/\",\"up\":false")
                        .doesNotContain(S3Proxy.CREDENTIAL);

                s3.start();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (copiesOn(node, s3Target, acknowledged) < 7 && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                assertThat(copiesOn(node, s3Target, acknowledged)).as("copies on S3 after it returned").isEqualTo(7);
                assertThat(copiesOn(node, node.targets().targets().get(0), acknowledged)).isEqualTo(7);
                assertThat(health(node)).startsWith("{\"status\":\"UP\"");
            }
        }
    }
}
