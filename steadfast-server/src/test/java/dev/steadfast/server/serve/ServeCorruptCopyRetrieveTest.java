package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.RetrieveConfig;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored copy that no longer matches its checksum is never sent: its C-GET sub-operation counts
 * as failed with its SOP Instance UID in the Failed SOP Instance UID List (0008,0058); the final
 * status is B000 when others went out and A702 when none did (PS3.4 C.4.3.1.4). Also when the copy
 * was damaged after a first retrieve had verified it (the default {@code retrieve.verify}).
 */
class ServeCorruptCopyRetrieveTest {
    @TempDir
    Path tmp;

    @Test
    void aCorruptCopyIsAFailedSubOperationNamedInTheFailedList() throws Exception {
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String series = Instances.uid();
        String good = Instances.uid();
        String bad = Instances.uid();
        String lonelyStudy = Instances.uid();
        ClientOptions o = new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
                .scpRole(UID.SecondaryCaptureImageStorage);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            assertThat(c.store(Instances.source(Instances.image(study, series, good, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
            assertThat(c.store(Instances.source(Instances.image(study, series, bad, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
            assertThat(c.store(Instances.source(Instances.image(lonelyStudy, Instances.uid(), Instances.uid(), 4096)), null, -1).status())
                    .isEqualTo(Status.SUCCESS);
            corrupt(node.storage().root(), bad);
            try (Stream<Path> s = Files.walk(node.storage().root())) {
                for (Path p : s.filter(p -> p.toString().contains(lonelyStudy) && Files.isRegularFile(p)).toList()) {
                    corrupt(p);
                }
            }

            List<String> received = new ArrayList<>();
            DimseResponse r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys(study), (rq, in) -> {
                received.add(rq.sopInstanceUid());
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return Status.SUCCESS;
            }, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
            assertThat(r.completed()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(received).containsExactly(good);
            assertThat(r.dataset().getStrings(Tag.FailedSOPInstanceUIDList)).containsExactly(bad);

            r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys(lonelyStudy), (rq, in) -> {
                received.add(rq.sopInstanceUid());
                return Status.SUCCESS;
            }, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.OUT_OF_RESOURCES_SUB_OPERATIONS);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(received).containsExactly(good);
        }
    }

    /**
     * With the default {@code retrieve.verify: first-read}, a copy damaged after it was retrieved
     * once (and so is checked by its remembered CRC32C from then on) is refused just the same, by
     * C-GET and by WADO-RS.
     */
    @Test
    void aCopyDamagedAfterItsFirstRetrieveIsRefusedToo() throws Exception {
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String series = Instances.uid();
        String good = Instances.uid();
        String bad = Instances.uid();
        ClientOptions o = new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
                .scpRole(UID.SecondaryCaptureImageStorage);
        HttpClient http = HttpClient.newHttpClient();
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            assertThat(node.config().retrieve().verify()).isEqualTo(RetrieveConfig.Verify.FIRST_READ);
            assertThat(c.store(Instances.source(Instances.image(study, series, good, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
            assertThat(c.store(Instances.source(Instances.image(study, series, bad, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
            HttpRequest wado = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies/" + study
                    + "/series/" + series + "/instances/" + bad)).header("Accept", "multipart/related; type=\"application/dicom\"").build();
            assertThat(served(http, wado)).as("first WADO-RS read, intact").isTrue();

            List<String> received = new ArrayList<>();
            DimseResponse r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys(study), (rq, in) -> {
                received.add(rq.sopInstanceUid());
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return Status.SUCCESS;
            }, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUCCESS);
            assertThat(received).containsExactlyInAnyOrder(good, bad);

            corrupt(node.storage().root(), bad);
            received.clear();
            r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys(study), (rq, in) -> {
                received.add(rq.sopInstanceUid());
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return Status.SUCCESS;
            }, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
            assertThat(received).containsExactly(good);
            assertThat(r.dataset().getStrings(Tag.FailedSOPInstanceUIDList)).containsExactly(bad);
            assertThat(served(http, wado)).as("WADO-RS of the damaged copy").isFalse();
        }
    }

    /** Whether the whole response came back as a success: a cut-off body throws on the client's side. */
    private static boolean served(HttpClient http, HttpRequest rq) throws InterruptedException {
        try {
            HttpResponse<byte[]> rsp = http.send(rq, HttpResponse.BodyHandlers.ofByteArray());
            return rsp.statusCode() == 200 && rsp.body().length > 4096;
        } catch (IOException e) {
            return false;
        }
    }

    private static Dataset keys(String study) {
        return new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study);
    }

    private static void corrupt(Path root, String sop) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            corrupt(s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow());
        }
    }

    /** Flips the last byte (pixel data): the file still parses, only the checksum tells. */
    private static void corrupt(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 0xFF);
        }
    }
}
