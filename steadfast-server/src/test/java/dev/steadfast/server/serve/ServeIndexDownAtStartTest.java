package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;
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
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: {@code serve} starts while its PostgreSQL index is not running. storescu's instances are
 * acknowledged (journaled after fsync), /health says DEGRADED with the reason, C-FIND is refused
 * with A700 and an error comment, QIDO-RS with 503. Then PostgreSQL starts (a brand-new cluster on
 * the configured port): the schema is migrated, the journal drained, and every acknowledged
 * instance is indexed, intact and findable.
 */
class ServeIndexDownAtStartTest {
    private static final Pattern BACKLOG = Pattern.compile("\"backlog\":(\\d+)");

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
    void serveStartsWithoutItsDatabaseJournalsIngestAndCatchesUpWhenItStarts() throws Exception {
        String storescu = Peers.tool("storescu");
        int pgPort = Peers.freePort(); // nothing listens there yet
        Path data = tmp.resolve("data");
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        try (ArchiveNode node = TestNodes.start(data, url, Map.of(), List.of())) {
            HttpResponse<String> h = get(node, "/health");
            assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
            assertThat(h.body()).startsWith("{\"status\":\"DEGRADED\"").contains("\"index\":{\"reachable\":false,\"error\":\"")
                    .contains("not yet migrated");
            assertThat(get(node, "/metrics").body()).contains("steadfast_index_up 0\n");

            String study = Instances.uid();
            String series = Instances.uid();
            Map<String, String> acknowledged = new LinkedHashMap<>(); // SOP Instance UID -> data set SHA-256
            for (int i = 0; i < 5; i++) {
                Path file = tmp.resolve("in-" + i + ".dcm");
                Dataset ds = Instances.image(study, series, Instances.uid(), 4096);
                try (OutputStream out = Files.newOutputStream(file)) {
                    DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
                }
                Peers.Result r = Peers.run(List.of(storescu, "-aet", "MODALITY", "-aec", "STEADFAST", "127.0.0.1",
                        String.valueOf(node.dicomPort()), file.toString()), 60);
                assertThat(r.exitCode()).as(r.output()).isZero();
                acknowledged.put(ds.getString(Tag.SOPInstanceUID), Received.of(file).datasetSha256());
            }
            assertThat(backlog(node)).as("journaled").isEqualTo(5);

            DimseResponse find = find(node, study, new ArrayList<>());
            assertThat(find.status()).as(find.toString()).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(find.errorComment()).contains("index unavailable");

            HttpResponse<String> qido = get(node, "/dicom-web/studies?StudyInstanceUID=" + study);
            assertThat(qido.statusCode()).as(qido.body()).isEqualTo(503);
            assertThat(qido.body()).contains("index database unavailable");

            // The database comes up: migrations, then the journal, without a restart of serve.
            pg = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(tmp.resolve("pg")).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (backlog(node) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(backlog(node)).as("journal drained").isZero();
            h = get(node, "/health");
            assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
            assertThat(h.body()).startsWith("{\"status\":\"UP\"").contains("\"index\":{\"reachable\":true}");

            List<String> found = new ArrayList<>();
            assertThat(find(node, study, found).status()).isEqualTo(Status.SUCCESS);
            assertThat(found).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                Optional<StoredInstance> i = node.index().read(tx -> tx.instances().find(e.getKey()));
                assertThat(i).as("indexed " + e.getKey()).isPresent();
                assertThat(i.get().record().datasetSha256()).isEqualTo(e.getValue());
                Path file = node.storage().pathOf(new StorageKey(i.get().record().storageKey()));
                assertThat(Received.of(file).datasetSha256()).as("stored " + e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(get(node, "/dicom-web/studies?StudyInstanceUID=" + study).statusCode()).isEqualTo(200);
        }
    }

    private static long backlog(ArchiveNode node) throws Exception {
        Matcher m = BACKLOG.matcher(get(node, "/health").body());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
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

    private static HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
