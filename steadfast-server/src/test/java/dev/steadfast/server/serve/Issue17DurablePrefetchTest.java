package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.ServeProcess;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the edge's prior-study prefetch survives kill -9. A new study arrives at the edge
 * (serve in its own JVM) while the link to central is down; the prefetch of the patient's prior
 * fails and waits to be retried; the edge is killed with kill -9 and started again, the link comes
 * back, and the prior arrives at the edge with nothing else arriving to trigger it (the queue was
 * in memory before: the restart forgot it).
 */
class Issue17DurablePrefetchTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private static void store(int dicomPort, String patient, String study, String date) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", dicomPort, o)) {
            Dataset ds = Instances.image(study, Instances.uid(), Instances.uid(), 1024);
            ds.setString(Tag.PatientID, VR.LO, patient);
            ds.setString(Tag.Modality, VR.CS, "CT");
            ds.setString(Tag.StudyDate, VR.DA, date);
            assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aPendingPrefetchSurvivesKillMinus9() throws Exception {
        Path central = tmp.resolve("central");
        try (ArchiveNode c = TestNodes.start(central, TestNodes.indexUrl(TestNodes.Db.SQLITE, central), Map.of(), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", c.httpPort())) {
            String patient = "P17D-" + Instances.uid();
            String prior = Instances.uid();
            store(c.dicomPort(), patient, prior, "20200101");
            link.cut();
            try (ServeProcess edge = ServeProcess.start("edge", tmp.resolve("edge"), Map.of(
                    "STEADFAST_SITES_PEER_URL", "http://127.0.0.1:" + link.port(),
                    "STEADFAST_SITES_PEER_TIMEOUT_SECONDS", "2",
                    "STEADFAST_PREFETCH_PRIORS", "1"))) {
                store(edge.dicomPort(), patient, Instances.uid(), "20240101");
                while (get(edge.httpPort(), "/metrics").body().contains("steadfast_prefetch_retries_total 0\n")) {
                    Thread.sleep(100); // the first try failed: the prefetch now waits for its retry
                }
                assertThat(get(edge.httpPort(), "/metrics").body()).contains("steadfast_prefetch_waiting 1\n");

                edge.kill();
                link.restore();
                edge.restart();
                while (!get(edge.httpPort(), "/dicom-web/studies?StudyInstanceUID=" + prior).body().contains(prior)) {
                    Thread.sleep(200); // the test's timeout bounds this: a lost prefetch never arrives
                }
                while (!get(edge.httpPort(), "/metrics").body().contains("steadfast_prefetch_waiting 0\n")) {
                    Thread.sleep(100); // marked done just after its last instance is stored
                }
                assertThat(get(edge.httpPort(), "/metrics").body()).contains("steadfast_prefetch_studies_total 1\n",
                        "steadfast_prefetch_failures_total 0\n");
            }
        }
    }
}
