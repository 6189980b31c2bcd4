package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, repair of missed copies is cluster-wide: two nodes share a PostgreSQL index and two
 * storage targets with write policy {@code 1 of 2}. Target b is gone while node A, {@code serve}
 * in its own JVM, acknowledges instances (one copy each, on a). A is killed with SIGKILL before b
 * returns, so A never repairs them. When b is back, node B copies what A's writes missed onto b,
 * without a scrub (scrub is off): the list was in the index, not in A's memory.
 */
class Issue15RepairTakeoverTest {
    private static final int INSTANCES = 5;

    @TempDir
    Path tmp;

    @Test
    void copiesADeadNodeWroteWithATargetDownAreRepairedByAnotherNode() throws Exception {
        String db = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
        Path a = tmp.resolve("target-a");
        Path b = tmp.resolve("target-b");
        Files.createDirectories(a);
        Files.createDirectories(b);
        Map<String, String> storage = new LinkedHashMap<>();
        storage.put("storage.targets", "fs:" + a + ",fs:" + b);
        storage.put("storage.write-policy", "1 of 2");
        storage.put("storage.min-free-mb", "1");
        storage.put("storage.health-interval-seconds", "1");
        storage.put("storage.repair-interval-seconds", "1");
        storage.put("storage.scrub-interval-hours", "0"); // only repair can bring the copies back
        List<String> keys = new ArrayList<>();
        try (ArchiveNode nodeB = ClusterNodes.inProcess(tmp.resolve("node-b"), db, ClusterNodes.options("node-b", null, storage),
                List.of());
             ClusterNodes.Forked nodeA = ClusterNodes.fork(tmp.resolve("node-a"), db, ClusterNodes.options("node-a", null, storage),
                     null)) {
            breakFolder(b);
            long deadline = System.nanoTime() + 60_000_000_000L; // a hang guard, not a measurement
            while (!health(nodeA.httpPort()).contains("{\"name\":\"fs:" + b + "\",\"up\":false") && System.nanoTime() < deadline) {
                Thread.sleep(200); // polling a state: node A has seen b go
            }
            ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
            try (DimseClient client = DimseClient.open("127.0.0.1", nodeA.dicomPort(), o)) {
                for (int i = 0; i < INSTANCES; i++) {
                    String study = Instances.uid();
                    String series = Instances.uid();
                    String sop = Instances.uid();
                    DimseResponse r = client.store(Instances.source(Instances.image(study, series, sop, 4096)), null, -1);
                    assertThat(r.status()).as("acknowledged by node A with one target: " + r).isEqualTo(Status.SUCCESS);
                    keys.add(StorageKey.of(study, series, sop).path());
                }
            }
            assertThat(pendingRows(db)).as("copies b missed, recorded in the index before the acknowledgements").isEqualTo(INSTANCES);
            nodeA.kill(); // SIGKILL: its in-memory list of what b missed is gone with it
            restoreFolder(b);

            while (copies(b, keys) < INSTANCES && System.nanoTime() < deadline) {
                Thread.sleep(200); // polling a state: b is repaired
            }
            assertThat(copies(a, keys)).as("copies on a").isEqualTo(INSTANCES);
            assertThat(copies(b, keys)).as("copies node A's writes missed on b, repaired by node B").isEqualTo(INSTANCES);
            for (String key : keys) {
                assertThat(Files.readAllBytes(b.resolve(key))).as(key).isEqualTo(Files.readAllBytes(a.resolve(key)));
            }
            while (pendingRows(db) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(pendingRows(db)).as("pending repairs left in the index").isZero();
            // Node B never stored anything: its UID-claim pool holds no connection (it sizes itself lazily).
            assertThat(connections(db, "steadfast-index-claims")).as("idle claim connections").isZero();
        }
    }

    private static String health(int httpPort) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long copies(Path target, List<String> keys) {
        return keys.stream().filter(k -> Files.isRegularFile(target.resolve(k))).count();
    }

    private static int pendingRows(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM storage_repair");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int connections(String db, String applicationName) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
}
