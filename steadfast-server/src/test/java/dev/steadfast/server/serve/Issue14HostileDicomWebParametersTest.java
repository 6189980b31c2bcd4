package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: DICOMweb parameters a hostile or careless client sends get a clear 4xx, not a 500 and
 * not an image or body the client said it does not want.
 * <ul>
 * <li>Accept whose every range has {@code q=0} accepts nothing (RFC 9110 12.4.2): 406, not the default
 * type; a quality outside 0..1 is malformed: 400.</li>
 * <li>WADO-URI {@code contentType=,} (a list without a type): 400, not 500.</li>
 * <li>WADO-URI {@code anonymize=yes}: 400 (the archive does not de-identify), not the object with its patient data.</li>
 * <li>A frame list that names a frame twice (PS3.18 asks for non-duplicate numbers): 400, not one part per
 * mention (thousands of reads or encodings from one short URL).</li>
 * <li>{@code NaN} and {@code Infinity} as window centre or width (WADO-URI and WADO-RS rendered): 400,
 * not a uniform image rendered with a window that is no window.</li>
 * </ul>
 */
class Issue14HostileDicomWebParametersTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void oddAcceptHeadersAndNonNumbersAreAnsweredWithClearStatuses() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of(), List.of())) {
            Dataset ct = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 64);
            DimsePeer.store(tmp, node.dicomPort(), ct);
            String root = "http://127.0.0.1:" + node.httpPort() + "/dicom-web";
            String study = ct.getString(Tag.StudyInstanceUID);
            String series = ct.getString(Tag.SeriesInstanceUID);
            String sop = ct.getString(Tag.SOPInstanceUID);
            String instance = root + "/studies/" + study + "/series/" + series + "/instances/" + sop;
            String wadoUri = root + "/wado?requestType=WADO&studyUID=" + study + "&seriesUID=" + series + "&objectUID=" + sop;

            // The same requests without the hostile part are answered: what follows is about the part.
            assertThat(get(root + "/studies", "application/dicom+json").statusCode()).isEqualTo(200);
            assertThat(get(instance, "multipart/related; type=\"application/dicom\"").statusCode()).isEqualTo(200);
            assertThat(get(wadoUri + "&windowCenter=40&windowWidth=400", null).statusCode()).isEqualTo(200);
            assertThat(get(instance + "/rendered?window=40,400", "image/jpeg").statusCode()).isEqualTo(200);
            assertThat(get(instance + "/frames/1", "multipart/related; type=\"application/octet-stream\"").statusCode())
                    .isEqualTo(200);

            // A frame listed twice (PS3.18: non-duplicate frame numbers): 1,1,1,... would cost a frame each.
            String thrice = instance + "/frames/1,1,1";
            HttpResponse<String> duplicated = get(thrice, "multipart/related; type=\"application/octet-stream\"");
            assertThat(duplicated.statusCode()).as(duplicated.body()).isEqualTo(400);
            assertThat(duplicated.body()).contains("frame 1 is listed twice");
            assertThat(get(thrice + "/rendered", "image/jpeg").statusCode()).isEqualTo(400);

            HttpResponse<String> refusedJson = get(root + "/studies", "application/dicom+json;q=0");
            assertThat(refusedJson.statusCode()).as(refusedJson.body()).isEqualTo(406);
            assertThat(refusedJson.body()).contains("q=0");
            assertThat(get(instance, "multipart/related; type=\"application/dicom\"; q=0").statusCode()).isEqualTo(406);
            assertThat(get(instance + "/metadata", "application/dicom+json; q=0, application/json;q=0").statusCode())
                    .isEqualTo(406);
            assertThat(get(instance + "/metadata", "application/dicom+json;q=2").statusCode()).isEqualTo(400);
            assertThat(get(instance + "/metadata", "application/dicom+json;q=NaN").statusCode()).isEqualTo(400);
            assertThat(get(instance + "/metadata", "application/dicom+json;q=0.5").statusCode()).isEqualTo(200);

            // A client asking for a de-identified object gets an error, not the object with its patient data.
            HttpResponse<String> anonymized = get(wadoUri + "&contentType=application/dicom&anonymize=yes", null);
            assertThat(anonymized.statusCode()).as(anonymized.body()).isEqualTo(400);
            assertThat(anonymized.body()).contains("anonymize=yes is not supported").doesNotContain("Test^Serve");
            assertThat(get(wadoUri + "&contentType=application/dicom&anonymize=no", null).statusCode()).isEqualTo(200);

            HttpResponse<String> noType = get(wadoUri + "&contentType=,", null);
            assertThat(noType.statusCode()).as(noType.body()).isEqualTo(400);
            assertThat(noType.body()).contains("contentType");

            for (String window : List.of("&windowCenter=40&windowWidth=NaN", "&windowCenter=Infinity&windowWidth=400",
                    "&windowCenter=40&windowWidth=Infinity")) {
                HttpResponse<String> r = get(wadoUri + window, null);
                assertThat(r.statusCode()).as(window + ": " + r.body()).isEqualTo(400);
                assertThat(r.body()).contains("finite");
            }
            assertThat(get(wadoUri + "&rows=NaN", null).statusCode()).isEqualTo(400);
            for (String window : List.of("NaN,NaN", "40,Infinity", "-Infinity,400")) {
                HttpResponse<String> r = get(instance + "/rendered?window=" + window, "image/jpeg");
                assertThat(r.statusCode()).as(window + ": " + r.body()).isEqualTo(400);
                assertThat(r.body()).contains("finite");
            }
        }
    }

    private static HttpResponse<String> get(String url, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
