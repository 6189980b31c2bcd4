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
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code *a*a*a*a*a*a*a*a*b} on Institution Name (not an index column) used to make
 * java.util.regex backtrack for minutes per stored value, and a few such QIDO requests held every
 * carrier thread of a 2-core machine: C-ECHO and {@code /health} stopped answering. Now the
 * hostile queries (three QIDO, one findscu C-FIND) are answered, and echoscu and {@code /health}
 * answer while they are sent. Times are hang guards only.
 */
class Issue14HostileWildcardTest {
    private static final String HOSTILE = "*a*a*a*a*a*a*a*a*a*a*a*b";

    @TempDir
    Path tmp;

    @Test
    void hostileWildcardsAreAnsweredAndEchoAndHealthStillAnswer() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            String study = Instances.uid();
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOD")
                    .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
                for (int i = 0; i < 20; i++) {
                    Dataset ds = Instances.image(study, Instances.uid(), Instances.uid(), 64);
                    ds.setString(Tag.InstitutionName, VR.LO, "a".repeat(60)); // the worst case for backtracking
                    assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
                }
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = "http://127.0.0.1:" + node.httpPort();
            List<CompletableFuture<HttpResponse<String>>> hostile = new ArrayList<>();
            for (String level : List.of("studies", "series", "instances")) {
                hostile.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/dicom-web/" + level + "?InstitutionName="
                        + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8))).header("Accept", "application/dicom+json")
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture<Peers.Result> find = CompletableFuture.supplyAsync(() -> {
                try {
                    return Peers.run(List.of(Peers.tool("findscu"), "-S", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=IMAGE",
                            "-k", "StudyInstanceUID=" + study, "-k", "InstitutionName=" + HOSTILE, "-k", "SOPInstanceUID",
                            "127.0.0.1", String.valueOf(node.dicomPort())), 120);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            Peers.Result echo = Peers.run(List.of(Peers.tool("echoscu"), "-aec", "STEADFAST", "-to", "30", "127.0.0.1",
                    String.valueOf(node.dicomPort())), 60);
            assertThat(echo.exitCode()).as(echo.output()).isZero();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            for (CompletableFuture<HttpResponse<String>> f : hostile) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body().strip()).isEqualTo("[]"); // nothing ends in b
            }
            Peers.Result r = find.get(150, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).doesNotContain("Error");
            // The same kind of pattern that does match still finds all twenty.
            HttpResponse<String> all = http.send(HttpRequest.newBuilder(URI.create(base + "/dicom-web/instances?InstitutionName="
                    + URLEncoder.encode("*a*a*a*a*a*a*a*a*a*a*a*a", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.body().split("\"00080018\"", -1)).hasSize(21);
        }
    }

    /** Identifiers past the size limits are refused with a clear error: QIDO 400, C-FIND A900. */
    @Test
    void oversizedQueriesAreRefusedClearly() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("query.max-matching-keys", "8"), List.of())) {
            StringBuilder q = new StringBuilder("/dicom-web/instances?PatientID=X");
            for (String k : List.of("StationName", "Manufacturer", "InstitutionName", "ProtocolName", "BodyPartExamined",
                    "SeriesDescription", "StudyDescription", "OperatorsName")) {
                q.append('&').append(k).append("=A*");
            }
            HttpResponse<String> tooMany = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + q)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(tooMany.body()).contains("too many matching keys");

            Peers.Result r = Peers.run(List.of(Peers.tool("findscu"), "-S", "-d", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=IMAGE",
                    "-k", "ImageComments=*" + "a".repeat(2000), "-k", "SOPInstanceUID", "127.0.0.1",
                    String.valueOf(node.dicomPort())), 60);
            assertThat(r.output()).contains("DIMSE Status                  : 0xa900").contains("(0000,0901) AT (0020,4000)")
                    .contains("longer than 1024");
        }
    }
}
