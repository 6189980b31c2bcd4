package dev.steadfast.server.imaging;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 (DICOMweb): an Encapsulated PDF's WADO-RS metadata names its document by BulkDataURI,
 * that URI returns the PDF (as dcmtk's dcm2pdf extracts it), and its frames resource says it has
 * none (400, as PS3.18 answers a frame request on an instance that is not a multi-frame image).
 */
class Issue13EncapsulatedPdfTest {
    private static final String PDF = "doc/pdf2dcm__shared-mime-info-spec.dcm";

    @Test
    void metadataNamesTheDocumentAndItsUriReturnsThePdf(@TempDir Path tmp) throws Exception {
        Corpus.Entry entry = Corpus.wellFormed().stream().filter(e -> e.name().equals(PDF)).findFirst().orElseThrow();
        Path oracle = tmp.resolve("oracle.pdf");
        assertThat(Peers.run(List.of(Peers.tool("dcm2pdf"), entry.path().toString(), oracle.toString()), 60).exitCode()).isZero();
        byte[] pdf = Files.readAllBytes(oracle);

        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            ServedCorpus.Image img = ServedCorpus.store(node, entry, tmp);

            HttpResponse<byte[]> meta = ServedCorpus.get(node, img.path() + "/metadata", "application/dicom+json");
            assertThat(meta.statusCode()).isEqualTo(200);
            String json = new String(meta.body(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"00420011\"\\s*:\\s*\\{\\s*\"vr\"\\s*:\\s*\"OB\"\\s*,\\s*\"BulkDataURI\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(json);
            assertThat(m.find()).as("Encapsulated Document (0042,0011) with a BulkDataURI in %s", json).isTrue();
            String uri = m.group(1);
            assertThat(uri).startsWith("http://127.0.0.1:" + node.httpPort() + "/dicom-web" + img.path() + "/bulkdata/");

            HttpResponse<byte[]> bulk = ServedCorpus.get(node, uri.substring(uri.indexOf("/dicom-web") + "/dicom-web".length()),
                    "multipart/related; type=\"application/octet-stream\"");
            assertThat(bulk.statusCode()).isEqualTo(200);
            List<ServedCorpus.Part> parts = ServedCorpus.parts(bulk);
            assertThat(parts).hasSize(1);
            byte[] served = parts.getFirst().body();
            // The value is padded to even length (140430 bytes); dcm2pdf writes Encapsulated Document Length bytes.
            assertThat(served.length).isBetween(pdf.length, pdf.length + 1);
            assertThat(Arrays.copyOf(served, pdf.length)).isEqualTo(pdf);
            assertThat(new String(served, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

            // A PDF has no frames: 400 with a reason, never an empty 200.
            for (String accept : List.of("multipart/related; type=\"application/octet-stream\"",
                    "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")) {
                HttpResponse<byte[]> frames = ServedCorpus.get(node, img.path() + "/frames/1", accept);
                assertThat(frames.statusCode()).as(accept).isEqualTo(400);
                assertThat(new String(frames.body(), StandardCharsets.UTF_8)).contains("not an image");
            }
            // Nor pixel data as bulk data.
            assertThat(ServedCorpus.get(node, img.path() + "/bulkdata/7FE00010", null).statusCode()).isEqualTo(404);
        }
    }
}
