package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, reports and dictation in the study: an Encapsulated PDF (STOW-RS), an Enhanced SR
 * (deflated, STOW-RS) and a Basic Voice Audio Waveform written by pydicom (C-STORE with dcmtk's
 * storescu) are accepted, listed with their study by C-FIND (findscu) and QIDO-RS, and retrieved
 * unchanged by WADO-RS and C-GET (getscu): the data set bytes as sent (the file meta is rebuilt,
 * docs/CONFORMANCE.md section 5).
 */
class Issue18ReportsAndDictationTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String PDF = "1.2.840.10008.5.1.4.1.1.104.1";
    private static final String VOICE = "1.2.840.10008.5.1.4.1.1.9.4.1";
    private static final String ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22";

    @TempDir
    Path tmp;

    @Test
    void reportsAndDictationAreStoredListedAndRetrievedUnchangedWithTheirStudy() throws Exception {
        Path ct = Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm");
        Path pdf = Corpus.root().resolve("doc/pdf2dcm__shared-mime-info-spec.dcm");
        Path sr = Corpus.root().resolve("sr/dicomParser__report_dfl.dcm");
        Corpus.requireOrSkip(Files.exists(pdf) && Files.exists(sr) && Files.exists(ct), "the shared corpus' CT1, PDF and SR");
        Corpus.requireOrSkip(Files.isExecutable(PYTHON), "/usr/bin/python3 with pydicom");
        Dataset pdfHeader = DicomReader.readFile(pdf).dataset();
        String study = pdfHeader.getString(Tag.StudyInstanceUID); // pdf2dcm --study-from CT1: the CT's study
        assertThat(DicomReader.readFile(ct).dataset().getString(Tag.StudyInstanceUID)).isEqualTo(study);
        Path voice = tmp.resolve("voice.dcm");
        Path script = tmp.resolve("voice_audio.py");
        try (var in = getClass().getResourceAsStream("/issue18/voice_audio.py")) {
            Files.write(script, in.readAllBytes());
        }
        Peers.Result made = Peers.run(List.of(PYTHON.toString(), script.toString(), voice.toString(), study,
                strip(pdfHeader.getString(Tag.PatientID)), strip(pdfHeader.getString(Tag.PatientName))), 60);
        Corpus.requireOrSkip(!made.output().contains("No module named 'pydicom'"), "pydicom for /usr/bin/python3");
        assertThat(made.exitCode()).as(made.output()).isZero();
        String voiceUid = made.output().strip().lines().reduce((a, b) -> b).orElseThrow();

        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of(), List.of())) {
            String base = "http://127.0.0.1:" + node.httpPort() + "/dicom-web";
            Peers.Result sent = Peers.run(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "127.0.0.1",
                    String.valueOf(node.dicomPort()), ct.toString(), voice.toString()), 60);
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            for (Path f : List.of(pdf, sr)) {
                assertThat(stow(base, Files.readAllBytes(f))).as("STOW-RS of " + f.getFileName()).isEqualTo(200);
            }

            // Listed with the study: C-FIND at image level, the study's modalities, QIDO-RS.
            List<Dataset> images = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S", List.of("QueryRetrieveLevel=IMAGE",
                    "StudyInstanceUID=" + study, "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID"));
            assertThat(images).extracting(d -> strip(d.getString(Tag.SOPClassUID)))
                    .containsExactlyInAnyOrder("1.2.840.10008.5.1.4.1.1.2", PDF, VOICE);
            List<Dataset> studies = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                    "StudyInstanceUID=" + study, "ModalitiesInStudy", "NumberOfStudyRelatedInstances"));
            assertThat(studies.getFirst().getStrings(Tag.ModalitiesInStudy)).containsExactlyInAnyOrder("CT", "DOC", "AU");
            assertThat(strip(studies.getFirst().getString(Tag.NumberOfStudyRelatedInstances))).isEqualTo("3");
            String qido = get(base + "/studies/" + study + "/instances", "application/dicom+json").body();
            assertThat(qido).contains(PDF).contains(VOICE).contains(voiceUid);
            String srStudy = DicomReader.readFile(sr).dataset().getString(Tag.StudyInstanceUID);
            assertThat(get(base + "/studies/" + srStudy + "/instances", "application/dicom+json").body()).contains(ENHANCED_SR);

            // Retrieved unchanged: WADO-RS in the stored syntax gives the data set as sent (the file meta is rebuilt).
            for (Path f : List.of(pdf, sr, voice)) {
                Dataset h = DicomReader.readFile(f).dataset();
                HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/studies/"
                        + h.getString(Tag.StudyInstanceUID) + "/series/" + h.getString(Tag.SeriesInstanceUID) + "/instances/"
                        + h.getString(Tag.SOPInstanceUID))).header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as(f.getFileName().toString()).isEqualTo(200);
                assertThat(Multipart.parts(r)).singleElement().satisfies(b -> assertThat(Arrays.equals(dataSet(b),
                        dataSet(Files.readAllBytes(f)))).as("WADO-RS data set of " + f.getFileName()).isTrue());
            }
            // C-GET of the study: the PDF and the dictation arrive with the data sets as sent.
            Path got = Files.createDirectories(tmp.resolve("got"));
            Peers.Result get = Peers.run(List.of(Peers.tool("getscu"), "-S", "+B", "-aec", "STEADFAST", "-od", got.toString(),
                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1",
                    String.valueOf(node.dicomPort())), 120);
            assertThat(get.exitCode()).as(get.output()).isZero();
            List<Path> files;
            try (Stream<Path> s = Files.list(got)) {
                files = s.toList();
            }
            assertThat(files).hasSize(3);
            for (Path f : List.of(pdf, voice)) {
                String sop = DicomReader.readFile(f).dataset().getString(Tag.SOPInstanceUID);
                Path received = files.stream().filter(p -> p.getFileName().toString().contains(sop)).findFirst().orElseThrow();
                assertThat(Arrays.equals(dataSet(Files.readAllBytes(received)), dataSet(Files.readAllBytes(f))))
                        .as("C-GET data set of " + f.getFileName()).isTrue();
            }
        }
    }

    /** The bytes after the file meta information (preamble, DICM, group 0002 by its group length). */
    private static byte[] dataSet(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(file, 128, 4, StandardCharsets.US_ASCII)).isEqualTo("DICM");
        int groupLength = b.getInt(132 + 8); // (0002,0000) UL: tag 4, VR 2, length 2, then the value
        return Arrays.copyOfRange(file, 132 + 12 + groupLength, file.length);
    }

    private static HttpResponse<String> get(String url, String accept) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r;
    }

    private static int stow(String base, byte[] file) throws Exception {
        String boundary = "issue18-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
