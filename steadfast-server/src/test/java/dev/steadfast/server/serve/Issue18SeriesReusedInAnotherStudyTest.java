package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Series Instance UID reused in another study (closing note 3): a series belongs to one study (PS3.3
 * C.7.3.1), and the index keeps one row per Series Instance UID. Before, the second study's instance was
 * filed into the first study's series row (listed under the wrong study); now it is refused with C409
 * an Error Comment naming the study that holds the series and the Series Instance UID as Offending Element, nothing of it is stored, and the first study is unchanged.
 * The series' only instance re-sent with a corrected Study Instance UID (policy replace) still moves.
 */
class Issue18SeriesReusedInAnotherStudyTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void anInstanceOfAnotherStudyNamingAnIndexedSeriesIsRefusedNotMisfiled() throws Exception {
        run(TestNodes.Db.SQLITE);
    }

    @Test
    void theSameOnPostgres() throws Exception {
        run(TestNodes.Db.POSTGRESQL);
    }

    private void run(TestNodes.Db db) throws Exception {
        String first = Instances.uid();
        String second = Instances.uid();
        String series = Instances.uid();
        String a = Instances.uid();
        String b = Instances.uid();
        Path data = tmp.resolve("data");
        ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(db, data),
                Map.of("ingest.duplicates", "replace"), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            assertThat(c.store(Instances.source(Instances.image(first, series, a, 64)), null, -1).status()).isEqualTo(Status.SUCCESS);

            DimseResponse r = c.store(Instances.source(Instances.image(second, series, b, 64)), null, -1);
            assertThat(r.status().code()).as(r.toString()).isEqualTo(0xC409);
            assertThat(r.errorComment()).as("the study that holds the series").contains(first);
            assertThat(r.command().getInt(Tag.OffendingElement, 0)).isEqualTo(Tag.SeriesInstanceUID);

            // Nothing of it: the first study keeps its one instance, the second study does not exist, no file.
            List<Dataset> found = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S",
                    List.of("QueryRetrieveLevel=IMAGE", "StudyInstanceUID", "SeriesInstanceUID=" + series, "SOPInstanceUID"));
            assertThat(found).extracting(d -> DimsePeer.strip(d.getString(Tag.SOPInstanceUID))).containsExactly(a);
            assertThat(found).extracting(d -> DimsePeer.strip(d.getString(Tag.StudyInstanceUID))).containsExactly(first);
            HttpResponse<String> qido = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                    + "/dicom-web/studies?StudyInstanceUID=" + second)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(qido.body()).doesNotContain(second);
            try (Stream<Path> files = Files.walk(data.resolve("storage"))) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(b));
            }

            // The series' only instance re-sent with a corrected Study Instance UID: it moves, with its series.
            assertThat(c.store(Instances.source(Instances.image(second, series, a, 32)), null, -1).status()).isEqualTo(Status.SUCCESS);
            found = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S",
                    List.of("QueryRetrieveLevel=SERIES", "StudyInstanceUID", "SeriesInstanceUID=" + series));
            assertThat(found).extracting(d -> DimsePeer.strip(d.getString(Tag.StudyInstanceUID))).containsExactly(second);
        }
    }
}
