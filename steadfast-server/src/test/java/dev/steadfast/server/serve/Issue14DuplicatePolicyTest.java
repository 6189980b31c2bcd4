package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "never lose or silently change what is stored", and issue 13, "a replaced duplicate
 * leaves nothing in the server log": an instance re-sent under a stored SOP Instance UID, through
 * both front doors of a running serve, dcmtk's storescu and STOW-RS. By default identical bytes
 * succeed and different bytes are refused, the stored copy untouched; keep-first answers a
 * warning; replace happens only when configured. Every decision on different bytes is in the
 * server log with both digests and without patient data.
 */
class Issue14DuplicatePolicyTest {
    private static final Pattern STATUS = Pattern.compile("DIMSE Status\\s*:\\s*0x([0-9a-fA-F]{4})");
    private static final String PATIENT_NAME = "Secretname^Patient";
    private static final String PATIENT_ID = "PID-SECRET-14";

    @TempDir
    Path tmp;

    private PrintStream originalErr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** serve logs to stderr (slf4j-simple); keep a copy of what it prints during the test. */
    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        PrintStream original = originalErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        }, true));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
    }

    private String logText() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    /** One SOP Instance UID in two versions: the study description was corrected in between. */
    private record Versions(String study, String series, String sop, Path first, Path second, String firstSha,
                            String secondSha) {}

    private Versions versions() throws IOException {
        String study = Instances.uid();
        String series = Instances.uid();
        String sop = Instances.uid();
        Dataset ds = Instances.image(study, series, sop, 4096);
        ds.setString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.setString(Tag.PatientID, VR.LO, PATIENT_ID);
        Path first = tmp.resolve(sop + ".first.dcm");
        write(first, ds);
        ds.setString(Tag.StudyDescription, VR.LO, "CORRECTED");
        Path second = tmp.resolve(sop + ".second.dcm");
        write(second, ds);
        return new Versions(study, series, sop, first, second, Received.of(first).datasetSha256(),
                Received.of(second).datasetSha256());
    }

    private static void write(Path file, Dataset ds) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        }
    }

    private ArchiveNode node(String policy) throws IOException {
        Path data = tmp.resolve("data-" + (policy == null ? "default" : policy));
        Map<String, String> extra = policy == null ? Map.of() : Map.of("ingest.duplicates", policy);
        return TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), extra, List.of());
    }

    // ---- DIMSE: dcmtk's storescu ----

    @Test
    void byDefaultAnIdenticalResendSucceedsAndDifferentBytesAreRefusedKeepingTheStoredCopy() throws Exception {
        String storescu = Peers.tool("storescu");
        Versions v = versions();
        try (ArchiveNode node = node(null)) {
            assertThat(storescu(storescu, node, v.first())).isEqualTo(0x0000);
            assertThat(storescu(storescu, node, v.first())).as("identical re-send").isEqualTo(0x0000);
            int refused = storescu(storescu, node, v.second());
            assertThat(refused).as("different bytes, default policy").isEqualTo(0x0111);
            assertStored(node, v.sop(), v.firstSha());
            assertThat(instanceFiles(node)).isEqualTo(1);
            assertLogged(v.sop(), "refused", v.firstSha(), v.secondSha());
        }
    }

    @Test
    void keepFirstAnswersAWarningAndKeepsTheStoredCopy() throws Exception {
        String storescu = Peers.tool("storescu");
        Versions v = versions();
        try (ArchiveNode node = node("keep-first")) {
            assertThat(storescu(storescu, node, v.first())).isEqualTo(0x0000);
            assertThat(storescu(storescu, node, v.second())).isEqualTo(0xB006);
            assertStored(node, v.sop(), v.firstSha());
            assertLogged(v.sop(), "kept the stored copy", v.firstSha(), v.secondSha());
        }
    }

    /** Issue 13: the replacement is logged, with what was stored and what now is. */
    @Test
    void replaceOnlyWhenConfiguredAndThenLogged() throws Exception {
        String storescu = Peers.tool("storescu");
        Versions v = versions();
        try (ArchiveNode node = node("replace")) {
            assertThat(storescu(storescu, node, v.first())).isEqualTo(0x0000);
            assertThat(storescu(storescu, node, v.second())).isEqualTo(0x0000);
            assertStored(node, v.sop(), v.secondSha());
            assertThat((long) node.index().<Long>read(tx -> tx.instances().replacementCount(v.sop()))).isEqualTo(1L);
            assertLogged(v.sop(), "replaced the stored copy", v.firstSha(), v.secondSha());
        }
    }

    // ---- DICOMweb: STOW-RS with the JDK's HTTP client ----

    @Test
    void stowByDefaultIdenticalIs200DifferentIs409WithFailureReason0111() throws Exception {
        Versions v = versions();
        try (ArchiveNode node = node(null)) {
            assertThat(stow(node, v.first()).statusCode()).isEqualTo(200);
            assertThat(stow(node, v.first()).statusCode()).as("identical re-send").isEqualTo(200);
            HttpResponse<byte[]> r = stow(node, v.second());
            assertThat(r.statusCode()).isEqualTo(409);
            Dataset body = response(r);
            assertThat(body.getSequence(Tag.FailedSOPSequence).get(0).getString(Tag.ReferencedSOPInstanceUID))
                    .isEqualTo(v.sop());
            assertThat(body.getSequence(Tag.FailedSOPSequence).get(0).getInt(Tag.FailureReason, 0)).isEqualTo(0x0111);
            assertStored(node, v.sop(), v.firstSha());
            assertLogged(v.sop(), "refused", v.firstSha(), v.secondSha());
        }
    }

    @Test
    void stowKeepFirstIs202WithWarningReasonB006() throws Exception {
        Versions v = versions();
        try (ArchiveNode node = node("keep-first")) {
            assertThat(stow(node, v.first()).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> r = stow(node, v.second());
            assertThat(r.statusCode()).isEqualTo(202);
            Dataset item = response(r).getSequence(Tag.ReferencedSOPSequence).get(0);
            assertThat(item.getString(Tag.ReferencedSOPInstanceUID)).isEqualTo(v.sop());
            assertThat(item.getInt(Tag.WarningReason, 0)).isEqualTo(0xB006);
            assertThat(r.headers().allValues("Warning")).anySatisfy(w -> assertThat(w).contains(v.sop()).contains("keep-first"))
                    .noneSatisfy(w -> assertThat(w).contains("failed"));
            assertStored(node, v.sop(), v.firstSha());
            assertLogged(v.sop(), "kept the stored copy", v.firstSha(), v.secondSha());
        }
    }

    @Test
    void stowReplaceIs200AndLogged() throws Exception {
        Versions v = versions();
        try (ArchiveNode node = node("replace")) {
            assertThat(stow(node, v.first()).statusCode()).isEqualTo(200);
            assertThat(stow(node, v.second()).statusCode()).isEqualTo(200);
            assertStored(node, v.sop(), v.secondSha());
            assertLogged(v.sop(), "replaced the stored copy", v.firstSha(), v.secondSha());
        }
    }

    // ---- helpers ----

    /** The stored file holds the data set with this digest, and the index row describes that very file. */
    private static void assertStored(ArchiveNode node, String sop, String datasetSha) throws Exception {
        StoredInstance row = node.index().read(tx -> tx.instances().find(sop)).orElseThrow();
        Path file = node.storage().pathOf(new StorageKey(row.record().storageKey()));
        assertThat(Received.of(file).datasetSha256()).as("data set stored for " + sop).isEqualTo(datasetSha);
        assertThat(row.record().datasetSha256()).isEqualTo(datasetSha);
        assertThat(fileSha(file)).as("index row describes the stored file")
                .isEqualTo(row.record().sha256());
        assertThat((long) node.index().<Long>read(tx -> tx.instances().count())).isEqualTo(1L);
    }

    static String fileSha(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return Received.sha256(in);
        }
    }

    private static long instanceFiles(ArchiveNode node) throws IOException {
        try (Stream<Path> s = Files.walk(node.storage().root())) {
            return s.filter(Files::isRegularFile).count(); // no temporary file left either
        }
    }

    /** One log line names the instance, what was decided and both digests, and no patient data. */
    private void assertLogged(String sop, String decision, String storedSha, String receivedSha) {
        String text = logText();
        List<String> lines = text.lines().filter(l -> l.contains(sop) && l.contains(decision)
                && l.contains(storedSha) && l.contains(receivedSha)).toList();
        assertThat(lines).as("log lines about " + sop + " (" + decision + ") with both digests in:\n" + text).hasSize(1);
        assertThat(text).doesNotContain(PATIENT_NAME).doesNotContain("Secretname").doesNotContain(PATIENT_ID);
    }

    /** storescu of one file; the status of its C-STORE-RSP as dcmtk printed it. */
    private static int storescu(String storescu, ArchiveNode node, Path file) throws Exception {
        Peers.Result r = Peers.run(List.of(storescu, "-d", "-aet", "MODALITY", "-aec", "STEADFAST", "127.0.0.1",
                String.valueOf(node.dicomPort()), file.toString()), 60);
        Matcher m = STATUS.matcher(r.output());
        if (!m.find()) {
            fail("no C-STORE response from storescu:\n" + r.output());
        }
        return Integer.parseInt(m.group(1), 16);
    }

    private static HttpResponse<byte[]> stow(ArchiveNode node, Path file) throws Exception {
        String boundary = "issue14-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(Files.readAllBytes(file));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HttpClient.newHttpClient().send(rq, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Dataset response(HttpResponse<byte[]> r) throws IOException {
        return dev.steadfast.dicom.json.DicomJsonReader.fromJson(new String(r.body(), StandardCharsets.UTF_8));
    }
}
