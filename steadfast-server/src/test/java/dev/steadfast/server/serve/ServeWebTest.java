package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
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

/** DICOMweb and DIMSE are two front doors to one archive: what comes in through one goes out through the other. */
class ServeWebTest {
    @TempDir
    Path tmp;

    @Test
    void instanceStoredOverDimseIsFoundAndRetrievedOverDicomWeb() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            assertThat(node.httpPort()).isPositive();
            String study = Instances.uid();
            String series = Instances.uid();
            String sop = Instances.uid();
            Dataset ds = Instances.image(study, series, sop, 256);
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOD")
                    .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
                assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
            }
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + node.httpPort() + "/dicom-web";
            HttpResponse<String> qido = http.send(HttpRequest.newBuilder(URI.create(base + "/studies?StudyInstanceUID=" + study))
                    .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(qido.statusCode()).isEqualTo(200);
            assertThat(qido.body()).contains(study);
            HttpResponse<byte[]> wado = http.send(HttpRequest.newBuilder(URI.create(base + "/studies/" + study + "/series/" + series
                    + "/instances/" + sop)).header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(wado.statusCode()).isEqualTo(200);
            assertThat(new String(wado.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("DICM").contains(sop);
            // Rendered through the imaging module plugged in by serve.
            HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(base + "/studies/" + study + "/series/" + series
                    + "/instances/" + sop + "/rendered")).header("Accept", "image/png").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');
        }
    }
}
