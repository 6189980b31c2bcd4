package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.testing.ViewerBrowser;
import java.net.ServerSocket;
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

/**
 * The status page and /metrics show the workflow outbox (MPPS relay, IAN) and the HL7 outgoing queues as they
 * show the forwarding queues (issue 18, closing note 3): one MPPS waits for a relay target that is down and one
 * routed HL7 order for a laboratory that is down; {@code /status} lists each destination with its depth, the age
 * of its oldest entry and its dead letters, and /metrics has the workflow outbox's oldest age.
 */
class Issue18StatusShowsWorkflowQueuesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(ArchiveNode node, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void statusAndMetricsShowTheWorkflowOutboxAndTheHl7Queues() throws Exception {
        ViewerBrowser browser = new ViewerBrowser();
        int lab = freePort(); // nobody listens: the laboratory and the relay target are down
        int ris = freePort();
        Path yaml = tmp.resolve("steadfast.yaml");
        Files.writeString(yaml, """
                hl7:
                  destinations:
                    lab: {host: 127.0.0.1, port: %d}
                  routes:
                    - {message-type: ORM, receiving-application: LAB, destination: lab}
                """.formatted(lab));
        Path data = tmp.resolve("data");
        try (ArchiveNode node = ArchiveNode.start(TestNodes.config(yaml, data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "workflow.mpps.forward-to", "ris"),
                List.of("ris=RIS@127.0.0.1:" + ris)));
             Hl7Client hl7 = new Hl7Client(node.hl7().port());
             DimseClient modality = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT18")
                     .calledAeTitle("STEADFAST").propose(UID.ModalityPerformedProcedureStep, ClientOptions.UNCOMPRESSED))) {
            assertThat(modality.nCreate(UID.ModalityPerformedProcedureStep, Instances.uid(),
                    Issue18MppsTest.inProgress(Instances.uid(), "ACC-STATUS", null, null)).status()).isEqualTo(Status.SUCCESS);
            String head = msh("ORM^O01^ORM_O01").replace("|STEADFAST|HOSP|", "|LAB|HOSP|");
            assertThat(hl7.send(head, seg("PID", 1, "1", 3, "P18-ST^^^HOSP"), seg("ORC", 1, "NW", 2, "ORD-ST-1"),
                    seg("OBR", 1, "1", 2, "ORD-ST-1", 4, "GLU^Glucose^L")).code()).isEqualTo("AA");
            // The routed order is queued when the HL7 journal is applied: wait for it (no timing is asserted).
            long end = System.nanoTime() + 30_000_000_000L;
            while (!get(node, "/api/hl7/destinations").contains("\"depth\":1")) {
                assertThat(System.nanoTime()).as("the routed order is queued").isLessThan(end);
                Thread.sleep(50);
            }

            String metrics = get(node, "/metrics");
            assertThat(metrics).contains("steadfast_workflow_outbox_depth{destination=\"mpps:ris\"} 1")
                    .containsPattern("steadfast_workflow_outbox_oldest_age_seconds\\{destination=\"mpps:ris\"} \\d+")
                    .contains("steadfast_hl7_queue_depth{destination=\"lab\"} 1");

            String seen = browser.statusPage("http://127.0.0.1:" + node.httpPort());
            assertThat(seen).as("no page errors").contains("\"pageErrors\":[]");
            assertThat(seen).containsPattern("\"sections\":\\[[^\\]]*\"hl7-destinations\"")
                    .containsPattern("\"sections\":\\[[^\\]]*\"workflow\"");
            assertThat(seen).as("destination, state, waiting, oldest, dead letters, last error")
                    .containsPattern("\"workflow\":\\[.*\\[\"mpps:ris\",\"running\",\"1\",\"\\d+ s\",\"0\",")
                    .containsPattern("\"hl7-destinations\":\\[\\[\"lab\",\"running\",\"1\",\"\\d+ s\",\"0\",");
        }
    }
}
