package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /health and /metrics on the HTTP port next to /dicom-web, after dcmtk stored and queried. */
class ServeHealthMetricsTest {
    @TempDir
    Path tmp;

    private static HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndMetricsSayWhatTheNodeDid() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of("storage.min-free-mb", "1"), List.of())) {
            HttpResponse<String> h = get(node, "/health");
            assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
            assertThat(h.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(h.body()).startsWith("{\"status\":\"UP\"").contains("\"index\":{\"reachable\":true}")
                    .contains("\"writable\":true").contains("\"dicom\":{\"listening\":true}").containsPattern("\"freeBytes\":[1-9]");

            Path file = tmp.resolve("one.dcm");
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 1000), UID.ExplicitVRLittleEndian);
            }
            Peers.Result r = Peers.run(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "127.0.0.1", String.valueOf(node.dicomPort()),
                    file.toString()), 60);
            assertThat(r.exitCode()).as(r.output()).isZero();
            r = Peers.run(List.of(Peers.tool("findscu"), "-S", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID",
                    "127.0.0.1", String.valueOf(node.dicomPort())), 60);
            assertThat(r.exitCode()).as(r.output()).isZero();
            ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                c.store(Instances.source(Instances.image(null, Instances.uid(), Instances.uid(), 100)), null, -1); // A900
                HttpResponse<String> m = get(node, "/metrics");
                assertThat(m.statusCode()).isEqualTo(200);
                assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
                assertThat(m.body().lines().toList()).contains(
                        "steadfast_instances_received_total 2",
                        "steadfast_instances_stored_total 1",
                        "steadfast_instances_failed_total{status=\"A900\"} 1",
                        "steadfast_associations_open 1",
                        "steadfast_dimse_operations_total{operation=\"C-STORE\"} 2",
                        "steadfast_dimse_operations_failed_total{operation=\"C-STORE\"} 0",
                        "steadfast_dimse_operations_total{operation=\"C-FIND\"} 1",
                        "steadfast_dimse_operation_seconds_count{operation=\"C-FIND\"} 1",
                        "steadfast_dimse_operation_seconds_bucket{operation=\"C-FIND\",le=\"+Inf\"} 1",
                        "# TYPE steadfast_dimse_operation_seconds histogram");
                assertThat(m.body()).containsPattern("steadfast_storage_free_bytes [1-9]")
                        .containsPattern("steadfast_dimse_operation_seconds_sum\\{operation=\"C-FIND\"} [0-9.E-]+\n")
                        .containsPattern("steadfast_received_bytes_total [1-9]");
            }

            node.index().close(); // the index goes away: ingest goes on through the journal, so degraded, not down
            h = get(node, "/health");
            assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
            assertThat(h.body()).startsWith("{\"status\":\"DEGRADED\"").contains("\"index\":{\"reachable\":false")
                    .contains("\"journal\":{\"backlog\":0,\"own\":0,\"nodes\":[]}");
        }
    }

    @Test
    void healthIs503WhenStorageIsBelowItsReserve() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("storage.min-free-mb", String.valueOf(Integer.MAX_VALUE)), List.of())) {
            HttpResponse<String> h = get(node, "/health");
            assertThat(h.statusCode()).as(h.body()).isEqualTo(503);
            assertThat(h.body()).contains("\"index\":{\"reachable\":true}").contains("\"writable\":true");
        }
    }
}
