package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: an invalid date, time or date-time key is one clear error naming the attribute, the
 * same whatever its form and front door: QIDO-RS 400, C-FIND A900 with an Error Comment and the
 * attribute as Offending Element. It used to be "malformed range" for {@code 2004-13-45} and a
 * silent empty answer for {@code 20041345} and {@code abc}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Issue13InvalidDatesTest {
    private ArchiveNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of());
        Dataset ct = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256);
        ct.setString(Tag.StudyDate, VR.DA, "20040315");
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOD")
                .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
            assertThat(c.store(Instances.source(ct), null, -1).status()).isEqualTo(Status.SUCCESS);
        }
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void qidoAnswers400NamingTheAttributeForEveryFormOfInvalidDate() throws Exception {
        for (String bad : List.of("2004-13-45", "20041345", "abc", "20040230", "2004031-", "-")) {
            HttpResponse<String> r = qido("StudyDate=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("StudyDate").contains("(0008,0020)").contains("invalid date");
        }
        HttpResponse<String> time = qido("StudyTime=251000");
        assertThat(time.statusCode()).isEqualTo(400);
        assertThat(time.body()).contains("StudyTime").contains("invalid time");
        HttpResponse<String> dt = qido("AcquisitionDateTime=20041301120000");
        assertThat(dt.statusCode()).isEqualTo(400);
        assertThat(dt.body()).contains("AcquisitionDateTime").contains("invalid date-time");
        // Valid forms still match: a range, an open range, a single date, the old dotted form.
        for (String good : List.of("20040301-20040331", "20040301-", "-20040315", "20040315", "2004.03.15")) {
            HttpResponse<String> r = qido("StudyDate=" + good);
            assertThat(r.statusCode()).as(good).isEqualTo(200);
            assertThat(r.body()).as(good).contains("20040315");
        }
    }

    @Test
    void findscuGetsA900WithTheAttributeAsOffendingElement() throws Exception {
        for (String bad : List.of("20041345", "2004-13-45", "abc")) {
            Peers.Result r = Peers.run(List.of(Peers.tool("findscu"), "-S", "-d", "-aec", "STEADFAST", "-k",
                    "QueryRetrieveLevel=STUDY", "-k", "StudyDate=" + bad, "-k", "StudyInstanceUID", "127.0.0.1",
                    String.valueOf(node.dicomPort())), 60);
            // findscu -d prints the final response's status, Offending Element and Error Comment.
            assertThat(r.output()).as(bad).contains("DIMSE Status                  : 0xa900")
                    .contains("(0000,0901) AT (0008,0020)").contains("StudyDate (0008,0020): invalid date");
        }
    }

    @Test
    void ourScuSeesTheStatusCommentAndOffendingElement() throws Exception {
        Dataset keys = new Dataset();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
        keys.setNull(Tag.SeriesInstanceUID, VR.UI);
        keys.setString(Tag.StudyTime, VR.TM, "1061");
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("WS")
                .calledAeTitle("STEADFAST").propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian))) {
            DimseResponse rsp = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, m -> true);
            assertThat(rsp.status().code()).isEqualTo(0xA900);
            assertThat(rsp.errorComment()).startsWith("StudyTime (0008,0030): invalid time");
            assertThat(rsp.command().getInts(Tag.OffendingElement)).containsExactly(Tag.StudyTime);
        }
    }

    private HttpResponse<String> qido(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies?" + query))
                .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
