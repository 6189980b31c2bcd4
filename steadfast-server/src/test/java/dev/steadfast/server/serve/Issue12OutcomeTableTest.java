package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.ingest.IngestOutcome;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.json.DicomJsonReader;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, one outcome table: the same refusal through both front doors of a running serve gets
 * the codes of the same row of {@link IngestOutcome}: its C-STORE status, and over STOW-RS its
 * Failure Reason and HTTP status. (They used to differ: A900 against C000, A700 against 0110.)
 */
class Issue12OutcomeTableTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingStudyUidIsTheSameRowOverDimseAndStow() throws Exception {
        Dataset noStudy = Instances.image(null, Instances.uid(), Instances.uid(), 256);
        try (ArchiveNode node = node(Map.of())) {
            assertBothDoors(node, noStudy, IngestOutcome.MISSING_ATTRIBUTE);
        }
    }

    @Test
    void fullStorageIsTheSameRowOverDimseAndStow() throws Exception {
        // The closest faithful equivalent of a full disk: ask for more free space than any disk has.
        try (ArchiveNode node = node(Map.of("storage.min-free-mb", String.valueOf(Integer.MAX_VALUE)))) {
            assertBothDoors(node, Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 4096),
                    IngestOutcome.OUT_OF_RESOURCES);
        }
    }

    private void assertBothDoors(ArchiveNode node, Dataset ds, IngestOutcome row) throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOD")
                .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
            assertThat(c.store(Instances.source(ds), null, -1).status().code()).as("C-STORE status").isEqualTo(row.dimseStatus());
        }
        HttpResponse<String> r = stow(node, ds);
        assertThat(r.statusCode()).as("STOW-RS HTTP status").isEqualTo(row.httpStatus());
        Dataset body = DicomJsonReader.fromJson(r.body());
        assertThat(body.getSequence(Tag.FailedSOPSequence).get(0).getInt(Tag.FailureReason, 0)).as("Failure Reason")
                .isEqualTo(row.stowReasonCode()).isEqualTo(row.dimseStatus());
        assertThat((long) node.index().<Long>read(tx -> tx.instances().count())).isZero();
    }

    private ArchiveNode node(Map<String, String> extra) throws Exception {
        Path data = tmp.resolve("data");
        return TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), extra, List.of());
    }

    private static HttpResponse<String> stow(ArchiveNode node, Dataset ds) throws Exception {
        String boundary = "issue12-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        DicomWriter.writeFile(body, ds, UID.ExplicitVRLittleEndian);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HttpClient.newHttpClient().send(rq, HttpResponse.BodyHandlers.ofString());
    }
}
