package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a copy that a read found damaged (and served from the other target) is queued for
 * repair, and the pending-repair pass replaces it from the good copy, not merely checks that it
 * exists. Until then {@code /health} and {@code /metrics} say redundancy is reduced.
 */
class Issue13DamagedCopyRepairTest {
    @TempDir
    Path tmp;

    @Test
    void aCopyFoundDamagedOnReadIsRepairedAndHealthShowsReducedRedundancyUntilThen() throws Exception {
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String series = Instances.uid();
        String sop = Instances.uid();
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        // Repair runs only when asked (repairSoon), so the state in between can be looked at.
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                "storage.targets", "fs:" + tmp.resolve("a") + ",fs:" + tmp.resolve("b"),
                "storage.min-free-mb", "1",
                "storage.repair-interval-seconds", "3600",
                "storage.scrub-interval-hours", "0"), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            assertThat(c.store(Instances.source(Instances.image(study, series, sop, 8192)), null, -1).status()).isEqualTo(Status.SUCCESS);
            String key = node.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey();
            Path damaged = tmp.resolve("a").resolve(key);
            byte[] good = Files.readAllBytes(tmp.resolve("b").resolve(key));
            try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
                f.seek(good.length - 100);
                f.write(good[good.length - 100] ^ 0x5A);
            }
            assertThat(get(node, "/health").body()).startsWith("{\"status\":\"UP\"").contains("\"redundancy\":\"full\"");

            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies/" + study + "/series/" + series + "/instances/" + sop))
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(indexOf(r.body(), good)).as("the good copy was served").isNotNegative();

            String health = get(node, "/health").body();
            assertThat(health).as(health).startsWith("{\"status\":\"DEGRADED\"").contains("\"redundancy\":\"reduced\"")
                    .contains("\"name\":\"fs:" + tmp.resolve("a") + "\",\"up\":true,\"circuit\":\"CLOSED\",\"consecutiveFailures\":0,"
                            + "\"pendingRepairs\":1,\"damagedCopies\":1");
            assertThat(get(node, "/metrics").body()).contains("steadfast_storage_redundancy_full 0")
                    .contains("steadfast_storage_target_damaged_copies{target=\"fs:" + tmp.resolve("a") + "\"} 1");

            node.scrub().repairSoon();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a guard, not a measurement
            while (!java.util.Arrays.equals(Files.readAllBytes(damaged), good) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readAllBytes(damaged)).as("the damaged copy replaced from the good one").isEqualTo(good);
            while (node.targets().pendingRepairs(node.targets().targets().get(0)).size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            health = get(node, "/health").body();
            assertThat(health).as(health).startsWith("{\"status\":\"UP\"").contains("\"redundancy\":\"full\"")
                    .contains("\"pendingRepairs\":0,\"damagedCopies\":0");
            assertThat(get(node, "/metrics").body()).contains("steadfast_storage_redundancy_full 1");
        }
    }

    private static HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
