package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
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
 * Issue 13: a CT with Study Date and Study Description, then an Encapsulated PDF of the same study
 * without them, both sent by dcmtk's storescu to serve. The study must still be found by a date
 * range (findscu and QIDO) and still answer its description: an instance that lacks a study or
 * series attribute does not wipe it (docs/CONFORMANCE.md, "Which value wins").
 */
class Issue13StudyAttributesTest {
    @TempDir
    Path tmp;

    @Test
    void aLaterPdfWithoutStudyDateOrDescriptionLeavesTheStudyFoundByDateAndDescribed() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of(), List.of())) {
            String study = Instances.uid();
            Dataset ct = Instances.image(study, Instances.uid(), Instances.uid(), 256);
            ct.setString(Tag.StudyDate, VR.DA, "20040315");
            ct.setString(Tag.StudyTime, VR.TM, "101530");
            ct.setString(Tag.StudyDescription, VR.LO, "CHEST CT");
            ct.setString(Tag.AccessionNumber, VR.SH, "ACC13");
            ct.setString(Tag.Modality, VR.CS, "CT");
            Dataset pdf = pdf(study);
            send(node, "ct.dcm", ct);
            send(node, "report.dcm", pdf); // received last: the study's latest instance

            List<Dataset> byRange = findscu(node, "QueryRetrieveLevel=STUDY", "StudyDate=20040301-20040331",
                    "StudyInstanceUID", "StudyDescription", "AccessionNumber", "ModalitiesInStudy");
            assertThat(byRange).extracting(d -> strip(d.getString(Tag.StudyInstanceUID))).containsExactly(study);
            assertThat(strip(byRange.getFirst().getString(Tag.StudyDescription))).isEqualTo("CHEST CT");
            assertThat(strip(byRange.getFirst().getString(Tag.AccessionNumber))).isEqualTo("ACC13");
            assertThat(byRange.getFirst().getStrings(Tag.ModalitiesInStudy)).containsExactlyInAnyOrder("CT", "DOC");
            assertThat(findscu(node, "QueryRetrieveLevel=STUDY", "StudyDate=20040315", "StudyInstanceUID")).hasSize(1);
            assertThat(findscu(node, "QueryRetrieveLevel=STUDY", "StudyDescription=CHEST*", "StudyInstanceUID")).hasSize(1);

            HttpResponse<String> qido = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/dicom-web/studies?StudyDate=20040301-20040331&includefield=StudyDescription"))
                    .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(qido.statusCode()).isEqualTo(200);
            assertThat(qido.body()).contains(study).contains("CHEST CT").contains("20040315");
        }
    }

    /** An Encapsulated PDF of the study with no Study Date, Time, Description or Accession Number. */
    private static Dataset pdf(String study) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.EncapsulatedPDFStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.Modality, VR.CS, "DOC");
        ds.setString(Tag.PatientName, VR.PN, "Test^Serve");
        ds.setString(Tag.PatientID, VR.LO, "SERVE-1");
        ds.setString(Tag.MIMETypeOfEncapsulatedDocument, VR.LO, "application/pdf");
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return ds;
    }

    private void send(ArchiveNode node, String name, Dataset ds) throws Exception {
        Path f = tmp.resolve(name);
        try (var out = Files.newOutputStream(f)) {
            DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        }
        Peers.Result r = Peers.run(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "127.0.0.1",
                String.valueOf(node.dicomPort()), f.toString()), 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private int queries;

    private List<Dataset> findscu(ArchiveNode node, String... keys) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("responses-" + (++queries)));
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("findscu"), "-S", "-aec", "STEADFAST", "-X", "-od", dir.toString()));
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(node.dicomPort()));
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<Dataset> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                out.add(DicomReader.readFile(f).dataset());
            }
        }
        return out;
    }

    private static String strip(String v) {
        return v == null ? "" : v.replace("\0", "").strip();
    }
}
