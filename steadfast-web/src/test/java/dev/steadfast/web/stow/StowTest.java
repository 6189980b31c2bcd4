package dev.steadfast.web.stow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.json.DicomJsonReader;
import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.Synthetic;
import dev.steadfast.web.testing.TestArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** STOW-RS statuses, response bodies and durability, with bad input storing nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StowTest {
    private TestArchive archive;

    @BeforeAll
    void start() throws Exception {
        archive = new TestArchive();
    }

    @AfterAll
    void stop() throws Exception {
        archive.close();
    }

    private URI studies() {
        return URI.create(archive.base() + "/studies");
    }

    private static byte[] instance(String study) throws Exception {
        return Synthetic.part10(Synthetic.instance("P1", "Doe^Jane", study, Synthetic.uid(), Synthetic.uid()));
    }

    @Test
    void storedInstancesAreAcknowledgedOnlyOnceInStorageAndIndex() throws Exception {
        String study = Synthetic.uid();
        byte[] a = instance(study);
        byte[] b = instance(study);
        HttpResponse<byte[]> r = Http.post(studies(), Http.stowType("bnd"), Http.multipart("bnd", List.of(a, b)),
                "Accept", "application/dicom+json");
        assertThat(r.statusCode()).isEqualTo(200);
        Dataset body = DicomJsonReader.fromJson(Http.text(r));
        assertThat(body.getSequence(Tag.ReferencedSOPSequence).size()).isEqualTo(2);
        assertThat(body.getString(Tag.RetrieveURL)).endsWith("/studies/" + study);
        for (Dataset item : body.getSequence(Tag.ReferencedSOPSequence)) {
            String sop = item.getString(Tag.ReferencedSOPInstanceUID);
            var stored = archive.index.read(tx -> tx.instances().find(sop)).orElseThrow();
            byte[] file = Files.readAllBytes(archive.storage.pathOf(new dev.steadfast.archive.storage.StorageKey(stored.record().storageKey())));
            byte[] sent = new String(a, StandardCharsets.ISO_8859_1).contains(sop) ? a : b;
            assertThat(tail(file, 400)).isEqualTo(tail(sent, 400)); // data set bytes as sent
            assertThat(item.getString(Tag.RetrieveURL)).contains("/instances/" + sop);
        }
    }

    @Test
    void instanceOfAnotherStudyThanThePathFailsAndTheRestIsStored() throws Exception {
        String study = Synthetic.uid();
        byte[] good = instance(study);
        byte[] other = instance(Synthetic.uid());
        long before = archive.instanceCount();
        HttpResponse<byte[]> r = Http.post(URI.create(studies() + "/" + study), Http.stowType("q"),
                Http.multipart("q", List.of(good, other)));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w).startsWith("299 "));
        Dataset body = DicomJsonReader.fromJson(Http.text(r));
        assertThat(body.getSequence(Tag.FailedSOPSequence).get(0).getInt(Tag.FailureReason, 0)).isEqualTo(0xC409);
        assertThat(archive.instanceCount()).isEqualTo(before + 1);

        HttpResponse<byte[]> all = Http.post(URI.create(studies() + "/" + study), Http.stowType("q"),
                Http.multipart("q", List.of(instance(Synthetic.uid()))));
        assertThat(all.statusCode()).isEqualTo(409);
        assertThat(archive.instanceCount()).isEqualTo(before + 1);
    }

    @Test
    void nonDicomPartFailsWithCannotUnderstandAndStoresNothing() throws Exception {
        long before = archive.instanceCount();
        HttpResponse<byte[]> r = Http.post(studies(), Http.stowType("z"),
                Http.multipart("z", List.of("hello, this is not DICOM".getBytes(StandardCharsets.US_ASCII))));
        assertThat(r.statusCode()).isEqualTo(409);
        Dataset body = DicomJsonReader.fromJson(Http.text(r));
        assertThat(body.getSequence(Tag.FailedSOPSequence).get(0).getInt(Tag.FailureReason, 0)).isEqualTo(0xC000);
        assertThat(archive.instanceCount()).isEqualTo(before);
    }

    @Test
    void truncatedUploadIs400AndStoresNothing() throws Exception {
        long before = archive.instanceCount();
        byte[] whole = Http.multipart("t", List.of(instance(Synthetic.uid())));
        byte[] cut = Arrays.copyOf(whole, whole.length - 300);
        HttpResponse<byte[]> r = Http.post(studies(), Http.stowType("t"), cut);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.text(r)).contains("\"status\":400").contains("closing boundary");
        assertThat(archive.instanceCount()).isEqualTo(before);
        try (var files = Files.walk(archive.storage.root())) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> p.toString().contains(".tmp"))).isEmpty();
        }
    }

    @Test
    void wrongBoundaryIs400AndWrongContentTypeIs415() throws Exception {
        long before = archive.instanceCount();
        byte[] body = Http.multipart("right", List.of(instance(Synthetic.uid())));
        assertThat(Http.post(studies(), Http.stowType("wrong"), body).statusCode()).isEqualTo(400);
        assertThat(Http.post(studies(), "multipart/related; type=\"application/dicom\"", body).statusCode())
                .isEqualTo(400);
        assertThat(Http.post(studies(), "application/dicom", body).statusCode()).isEqualTo(415);
        assertThat(Http.post(studies(), "multipart/related; type=\"image/png\"; boundary=right", body).statusCode())
                .isEqualTo(415);
        assertThat(Http.post(studies(), "multipart/related; type=\"application/dicom\"; boundary=e",
                "--e--\r\n".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(400);
        assertThat(archive.instanceCount()).isEqualTo(before);
    }

    @Test
    void responseInXmlWhenAsked() throws Exception {
        HttpResponse<byte[]> r = Http.post(studies(), Http.stowType("x"),
                Http.multipart("x", List.of(instance(Synthetic.uid()))), "Accept", "application/dicom+xml");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/dicom+xml");
        assertThat(Http.text(r)).contains("NativeDicomModel").contains("ReferencedSOPSequence");
    }

    private static byte[] tail(byte[] b, int n) {
        return Arrays.copyOfRange(b, b.length - n, b.length);
    }
}
