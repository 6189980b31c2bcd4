package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the ingest journal is no node's secret: three nodes share a PostgreSQL index that is
 * down, a storage folder and a journal folder. Node A, {@code steadfast serve} in its own JVM,
 * acknowledges instances (journaled, fsync'd), then is lost for good: killed with SIGKILL before it
 * ever reached the index (its OS lock on its journal sub-folder goes with the process) and its own
 * data folder deleted. The database comes up;
 * nodes B and C, both running, race to drain A's journal. Every instance A acknowledged is then
 * found through B by C-FIND and QIDO-RS, retrieved by C-GET with the very bytes A received, and
 * has exactly one index row; no entry was set aside as failed. Before the database comes up, B's
 * {@code /health} counts A's journal in the backlog and names A as gone.
 */
class Issue15LostJournalNodeTest {
    private static final int INSTANCES = 6;

    @TempDir
    Path tmp;
    private EmbeddedPostgres pg;

    @AfterEach
    void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void instancesAcknowledgedByALostNodeWhileTheIndexWasDownAreFoundThroughTheOthers() throws Exception {
        int pgPort = Peers.freePort(); // nothing listens there yet: the index is down
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        Path journal = tmp.resolve("shared-journal");
        Map<String, String> shared = Map.of("storage.path", tmp.resolve("shared-storage").toString(),
                "cluster.journal-dir", journal.toString());
        Path dataA = tmp.resolve("a");
        String study = Instances.uid();
        String series = Instances.uid();
        Map<String, String> acknowledged = new LinkedHashMap<>(); // SOP Instance UID -> data set SHA-256
        try (dev.steadfast.testing.CapturedStderr log = new dev.steadfast.testing.CapturedStderr();
             ArchiveNode b = node("node-b", tmp.resolve("b"), url, shared);
             ArchiveNode c = node("node-c", tmp.resolve("c"), url, shared)) {
            Process a = ServeCrashTest.fork(dataA, url, tmp.resolve("serve-a.log"), Map.of(
                    "STEADFAST_CLUSTER_NODE_ID", "node-a", "STEADFAST_CLUSTER_JOURNAL_DIR", journal.toString(),
                    "STEADFAST_STORAGE_PATH", shared.get("storage.path")));
            try {
                int port = ServeCrashTest.awaitListening(a, tmp.resolve("serve-a.log"));
                try (DimseClient client = DimseClient.open("127.0.0.1", port, storeOptions())) {
                    Random random = new Random(15);
                    for (int i = 0; i < INSTANCES; i++) {
                        String sop = Instances.uid();
                        Dataset ds = Instances.image(study, series, sop, 8192);
                        byte[] pixels = new byte[8192];
                        random.nextBytes(pixels);
                        ds.setBytes(Tag.PixelData, VR.OB, pixels);
                        byte[] bytes = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
                        DimseResponse r = client.store(Instances.source(UID.SecondaryCaptureImageStorage, sop, bytes), null, -1);
                        assertThat(r.status()).as("acknowledged by node A while the index is down: " + r).isEqualTo(Status.SUCCESS);
                        acknowledged.put(sop, Received.sha256(new ByteArrayInputStream(bytes)));
                    }
                }
                assertThat(entries(journal.resolve("node-a"))).as("node A's journal on the shared folder").isEqualTo(INSTANCES);
            } finally {
                a.destroyForcibly(); // SIGKILL: lost for good, it never saw the index again
                a.waitFor(60, TimeUnit.SECONDS);
            }
            deleteTree(dataA); // and its own disk with it

            // /health on node B counts node A's journal as the cluster's backlog, and says whose.
            String expected = "\"journal\":{\"backlog\":" + INSTANCES + ",\"own\":0,\"nodes\":[{\"nodeId\":\"node-a\",\"backlog\":"
                    + INSTANCES + ",\"gone\":true}]}";
            String health = "";
            long healthGuard = System.currentTimeMillis() + 30_000; // a hang guard, not a measurement
            while (!health.contains(expected) && System.currentTimeMillis() < healthGuard) {
                // polling a state: a drain attempt (index still down) holds A's folder for a moment
                health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort()
                        + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(health).as("node B's /health while the index is down").contains(expected);

            pg = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(tmp.resolve("pg")).start();
            long guard = System.currentTimeMillis() + 120_000; // a hang guard, not a measurement
            while (entries(journal.resolve("node-a")) > 0 && System.currentTimeMillis() < guard) {
                Thread.sleep(200); // polling a state
            }
            assertThat(entries(journal.resolve("node-a"))).as("node A's journal drained by B or C").isZero();
            // The job scheduler waited for the schema instead of failing a poll per second meanwhile.
            assertThat(log.text()).as("job scheduler errors while the index was not migrated")
                    .doesNotContain("ERROR com.github.kagkarlsson");
            assertThat(journal.resolve("node-a/failed")).as("no entry set aside").doesNotExist();

            List<String> found = new ArrayList<>();
            DimseResponse find = find(b, study, found);
            assertThat(find.status()).as(find.toString()).isEqualTo(Status.SUCCESS);
            assertThat(found).as("C-FIND through node B").containsExactlyInAnyOrderElementsOf(acknowledged.keySet());

            HttpResponse<String> qido = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + b.httpPort() + "/dicom-web/studies/" + study + "/instances")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(qido.statusCode()).as(qido.body()).isEqualTo(200);
            for (String sop : acknowledged.keySet()) {
                assertThat(qido.body()).as("QIDO-RS through node B").contains(sop);
                long rows = b.index().read(tx -> {
                    try (var ps = tx.connection().prepareStatement("SELECT count(*) FROM instance WHERE sop_uid = ?")) {
                        ps.setString(1, sop);
                        try (var rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
                assertThat(rows).as("index rows of " + sop).isEqualTo(1);
            }

            Map<String, String> retrieved = new HashMap<>();
            try (DimseClient client = DimseClient.open("127.0.0.1", b.dicomPort(), getOptions())) {
                DimseResponse get = client.get(UID.StudyRootQueryRetrieveInformationModelGet, new Dataset()
                        .setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study), (rq, in) -> {
                            retrieved.put(rq.sopInstanceUid(), Received.sha256(in));
                            return Status.SUCCESS;
                        }, null);
                assertThat(get.status()).as(get.toString()).isEqualTo(Status.SUCCESS);
            }
            assertThat(retrieved).as("C-GET through node B: the bytes node A acknowledged").isEqualTo(acknowledged);
        }
    }

    private static ArchiveNode node(String id, Path data, String url, Map<String, String> shared) throws IOException {
        Map<String, String> flags = new HashMap<>(shared);
        flags.put("cluster.node-id", id);
        return TestNodes.start(data, url, flags, List.of());
    }

    private static long entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".entry")).count();
        }
    }

    private static DimseResponse find(ArchiveNode node, String study, List<String> found) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("VIEWER").calledAeTitle("STEADFAST")
                .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                    .setString(Tag.StudyInstanceUID, VR.UI, study).setString(Tag.SOPInstanceUID, VR.UI, "");
            return c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, ds -> found.add(ds.getString(Tag.SOPInstanceUID).strip()));
        }
    }

    private static ClientOptions storeOptions() {
        return new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
    }

    private static ClientOptions getOptions() {
        return new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
                .scpRole(UID.SecondaryCaptureImageStorage);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
