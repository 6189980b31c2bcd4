package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 at the serve level: two filesystem targets, one of which disappears (its folder becomes
 * a file) in the middle of an ingest. With {@code 1 of 2} every instance is still acknowledged,
 * {@code /health} says DEGRADED and names the target down, and when the folder returns background
 * repair copies what it missed and a scrub restores what was removed with it. With {@code all}
 * the same loss refuses instances and {@code /health} answers 503.
 */
class ServeReplicatedTargetsTest {
    @TempDir
    Path tmp;

    private static final ClientOptions OPTIONS = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
            .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);

    private ArchiveNode node(String policy) throws Exception {
        Path data = tmp.resolve("data");
        return TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                "storage.targets", "fs:" + tmp.resolve("a") + ",fs:" + tmp.resolve("b"),
                "storage.write-policy", policy,
                "storage.min-free-mb", "1",
                "storage.health-interval-seconds", "1",
                "storage.repair-interval-seconds", "1"), List.of());
    }

    private static HttpResponse<String> health(ArchiveNode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static DimseResponse send(DimseClient c, List<String> acknowledged) throws Exception {
        String sop = Instances.uid();
        DimseResponse r = c.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), sop, 2000)), null, -1);
        if (r.status().code() == 0) {
            acknowledged.add(sop);
        }
        return r;
    }

    /** The folder is replaced by a plain file: neither reads nor writes can succeed there. */
    private static void breakFolder(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(dir, "not a folder");
    }

    private static void restoreFolder(Path dir) throws Exception {
        Files.delete(dir);
        Files.createDirectories(dir);
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
    void oneOfTwoKeepsAcknowledgingWhileATargetIsGoneAndRepairBringsItBack() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (ArchiveNode node = node("1 of 2"); DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), OPTIONS)) {
            HttpResponse<String> h = health(node);
            assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
            assertThat(h.body()).startsWith("{\"status\":\"UP\"").contains("\"policy\":\"1 of 2\"").contains("\"usable\":2");
            for (int i = 0; i < 5; i++) {
                assertThat(send(c, acknowledged).status().code()).isZero();
            }
            Target a = node.targets().targets().get(0);
            Target b = node.targets().targets().get(1);
            breakFolder(tmp.resolve("b"));
            for (int i = 0; i < 10; i++) {
                DimseResponse r = send(c, acknowledged);
                assertThat(r.status().code()).as(r.toString()).isZero();
            }
            h = health(node);
            assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
            assertThat(h.body()).startsWith("{\"status\":\"DEGRADED\"")
                    .contains("{\"name\":\"fs:" + tmp.resolve("b") + "\",\"up\":false,\"circuit\":\"OPEN\"")
                    .contains("\"usable\":1");
            assertThat(copiesOn(node, a, acknowledged)).isEqualTo(15);
            assertThat(copiesOn(node, b, acknowledged)).isZero();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("steadfast_storage_target_up{target=\"fs:" + tmp.resolve("b") + "\"} 0")
                    .contains("steadfast_storage_target_up{target=\"fs:" + tmp.resolve("a") + "\"} 1")
                    .contains("steadfast_journal_backlog 0").contains("steadfast_index_up 1");

            restoreFolder(tmp.resolve("b"));
            long deadline = System.nanoTime() + 20_000_000_000L; // the monitor sees it back, repair copies what it missed
            while (copiesOn(node, b, acknowledged) < 10 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(copiesOn(node, b, acknowledged)).as("copies written while b was gone, repaired").isEqualTo(10);
            // The five removed with the folder are not known to be missing until a scrub looks (what `verify` runs).
            new Scrubber(node.targets(), new IndexChecksums(node.index()), Pace.UNLIMITED).scrub(Progress.NONE);
            assertThat(copiesOn(node, b, acknowledged)).isEqualTo(15);
            h = health(node);
            assertThat(h.body()).as(h.body()).startsWith("{\"status\":\"UP\"");
        }
    }

    @Test
    void allRefusesWhileATargetIsGoneAndHealthSays503() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (ArchiveNode node = node("all"); DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), OPTIONS)) {
            assertThat(send(c, acknowledged).status().code()).isZero();
            breakFolder(tmp.resolve("b"));
            DimseResponse r = send(c, acknowledged);
            assertThat(r.status().code()).as(r.toString()).isEqualTo(0xA700);
            HttpResponse<String> h = health(node);
            assertThat(h.statusCode()).as(h.body()).isEqualTo(503);
            assertThat(h.body()).startsWith("{\"status\":\"DOWN\"").contains("\"required\":2").contains("\"usable\":1");
            restoreFolder(tmp.resolve("b"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (health(node).statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            r = send(c, acknowledged);
            assertThat(r.status().code()).as(r.toString()).isZero();
            assertThat(acknowledged).hasSize(2);
        }
    }
}
