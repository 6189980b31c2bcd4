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
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import dev.steadfast.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: with {@code sites.query-peer: true} the edge's QIDO-RS and C-FIND (dcmtk findscu) list
 * the studies only central holds beside its own, each study once; with the link to central silent
 * (a dead WAN link), both still answer with the edge's own studies, after at most
 * {@code sites.query-peer-timeout-seconds}, and count the miss in /metrics.
 */
class Issue17QueryPeerTest {
    private static final Pattern STUDY_UID = Pattern.compile("\\(0020,000d\\) UI \\[([^\\]]*)\\]");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private static void store(ArchiveNode node, String patient, String study) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            Dataset ds = Instances.image(study, Instances.uid(), Instances.uid(), 512);
            ds.setString(Tag.PatientID, VR.LO, patient);
            ds.setString(Tag.Modality, VR.CS, "CT");
            assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
        }
    }

    private HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Study Instance UIDs findscu lists (each response once), failing unless the find ended in success. */
    private static List<String> findscu(ArchiveNode node, String patient) throws Exception {
        Peers.Result r = Peers.run(List.of(Peers.tool("findscu"), "-v", "-S", "-aec", "STEADFAST", "-to", "30", "-ta", "30", "-td", "60",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=" + patient, "-k", "StudyInstanceUID",
                "127.0.0.1", String.valueOf(node.dicomPort())), 90);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("Received Final Find Response (Success)");
        Matcher m = STUDY_UID.matcher(r.output());
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("\0", "").strip()); // UI values keep their NUL padding
        }
        return out;
    }

    private static int count(String text, String uid) {
        return text.split(Pattern.quote(uid), -1).length - 1;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theEdgeListsCentralsStudiesAndStillAnswersWhenCentralIsSilent() throws Exception {
        Path central = tmp.resolve("central");
        Path edge = tmp.resolve("edge");
        try (ArchiveNode c = TestNodes.start(central, TestNodes.indexUrl(TestNodes.Db.SQLITE, central), Map.of(), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", c.httpPort(), TcpProxy.Mode.SILENT);
             ArchiveNode e = TestNodes.start(edge, TestNodes.indexUrl(TestNodes.Db.SQLITE, edge), Map.of(
                     "sites.peer.url", "http://127.0.0.1:" + link.port(), "sites.peer.timeout-seconds", "30",
                     "sites.query-peer", "true", "sites.query-peer-timeout-seconds", "2"), List.of())) {
            String patient = "P17Q-" + Instances.uid();
            String onlyCentral = Instances.uid(), onlyEdge = Instances.uid(), both = Instances.uid();
            store(c, patient, onlyCentral);
            store(e, patient, onlyEdge);
            store(c, patient, both);
            store(e, patient, both);

            HttpResponse<String> qido = get(e, "/dicom-web/studies?PatientID=" + patient);
            assertThat(qido.statusCode()).isEqualTo(200);
            assertThat(qido.body()).contains(onlyCentral, onlyEdge);
            assertThat(count(qido.body(), "\"" + both + "\"")).as("a study both hold is listed once (its UID as a value)").isEqualTo(1);
            assertThat(findscu(e, patient)).containsExactlyInAnyOrder(onlyCentral, onlyEdge, both);
            // Series level: the series of a study only central holds.
            assertThat(get(e, "/dicom-web/studies/" + onlyCentral + "/series").body()).contains(onlyCentral);

            link.cut(); // silent: connections accepted, never answered
            qido = get(e, "/dicom-web/studies?PatientID=" + patient);
            assertThat(qido.statusCode()).isEqualTo(200);
            assertThat(qido.body()).contains(onlyEdge, both).doesNotContain(onlyCentral);
            assertThat(findscu(e, patient)).containsExactlyInAnyOrder(onlyEdge, both);
            assertThat(get(e, "/metrics").body()).contains("steadfast_query_peer_failures_total 2\n");

            link.restore();
            assertThat(get(e, "/dicom-web/studies?PatientID=" + patient).body()).contains(onlyCentral);
        }
    }
}
