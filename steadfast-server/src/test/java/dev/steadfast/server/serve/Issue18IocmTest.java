package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.sites.ReconcileReport;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, Imaging Object Change Management, through serve's wiring with dcmtk as modality and
 * workstation: images are sent, then Key Object Selection rejection notes (PS3.3 A.35.4, CID 7011
 * titles; written by our writer, sent by storescu). The rejected instances leave C-FIND (study and
 * image level, counts included), QIDO-RS, C-GET, C-MOVE, WADO-RS, WADO-URI and metadata; a re-send is
 * refused (0124, STOW 409); an instance named before it arrived is hidden when it does; a
 * retention-expired rejection deletes the files; the admin API lists all of them with the reason.
 * The notes travel: forwarded to a second Steadfast, which applies them, and reconcile copies no
 * rejected instance back. Then a study correction (PATCH /api/studies) reaches C-FIND, QIDO-RS
 * and metadata, retrieve sends the files as received, and the audit trail names the attributes.
 */
class Issue18IocmTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KOS = UID.KeyObjectSelectionDocumentStorage;

    @TempDir
    Path tmp;

    private int files;

    @Test
    void rejectionNotesHideTravelAndCorrectionsReachEveryAnswer() throws Exception {
        String study = Instances.uid();
        String study2 = Instances.uid();
        String series = Instances.uid();
        String series2 = Instances.uid();
        String noteSeries = "2.25.9" + Instances.uid().substring(6); // sorts after the image series: reconcile meets images first
        List<Dataset> images = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            images.add(image(study, series, i));
        }
        Dataset expired = image(study2, series2, 1);
        Dataset late = image(study, series, 5); // named by a note before it is sent
        String i1 = sop(images.get(0)), i2 = sop(images.get(1)), i3 = sop(images.get(2)), i4 = sop(images.get(3));

        int movePort = Peers.freePort();
        Path moved = Files.createDirectories(tmp.resolve("moved"));
        Process storescp = Peers.start(List.of(Peers.tool("storescp"), "-aet", "MOVEDEST", "-od", moved.toString(),
                String.valueOf(movePort)), tmp.resolve("storescp.log"));
        try (ArchiveNode b = node("b", null, Map.of("dicom.ae-title", "SITEB"), List.of());
             ArchiveNode a = node("a", """
                     forwarding:
                       retry-initial-ms: 100
                       poll-ms: 100
                       destinations:
                         site-b:
                           type: steadfast
                           url: http://127.0.0.1:%d
                       rules:
                         - destination: site-b
                     """.formatted(b.httpPort()), Map.of("sites.peer.url", "http://127.0.0.1:" + b.httpPort()),
                     List.of("DEST=MOVEDEST@127.0.0.1:" + movePort))) {
            List<Dataset> sent = new ArrayList<>(images);
            sent.add(expired);
            assertThat(storescu(a, sent).exitCode()).isZero();
            await("the images reach B", () -> sops(b).containsAll(List.of(i1, i2, i3, i4, sop(expired))));
            Path expiredFile = storedFile(tmp.resolve("a/data"), sop(expired));
            assertThat(expiredFile).exists();

            // Forwarding paused: B keeps the rejected instances until reconcile or the queue brings the notes.
            assertThat(post(a, "/api/forwarding/site-b/pause").statusCode()).isEqualTo(200);
            Dataset quality = note(study, noteSeries, "113001", "Rejected for Quality Reasons", List.of(images.get(0),
                    images.get(1), late));
            Dataset retention = note(study2, Instances.uid(), "113039", "Data Retention Policy Expired", List.of(expired));
            assertThat(storescu(a, List.of(quality, retention)).exitCode()).isZero();
            assertThat(sops(a)).doesNotContain(i1, i2, sop(expired)).contains(i3, i4, sop(quality), sop(retention));
            assertThat(expiredFile).doesNotExist(); // 113039: the files go, not only the rows

            // A read at A while B still holds them: fallback retrieve does not fetch a rejected instance back.
            String rejectedAtA = "/dicom-web/studies/" + study + "/series/" + series + "/instances/" + i1;
            HttpResponse<String> fallback = get(a, rejectedAtA, "multipart/related; type=\"application/dicom\"");
            assertThat(fallback.statusCode()).as(fallback.body()).isEqualTo(404);
            assertThat(sops(a)).doesNotContain(i1);

            // Reconcile: B still holds what A rejected; it is reported, never copied back to A.
            ReconcileReport report = a.sites().reconcile(true);
            assertThat(report.error()).isNull();
            assertThat(report.differences()).filteredOn(d -> d.kind() == ReconcileReport.Kind.REJECTED_HERE)
                    .extracting(ReconcileReport.Difference::sop).contains(i1, i2, sop(expired));
            assertThat(report.differences()).noneMatch(d -> d.outcome() == ReconcileReport.Outcome.FAILED);
            assertThat(sops(a)).doesNotContain(i1, i2, sop(expired));
            // Reconcile sent B the notes it lacked (STOW-RS), and B applied them.
            assertThat(sops(b)).doesNotContain(i1, i2, sop(expired)).contains(i3, i4, sop(quality));

            // The forwarding queue carries the next note to B like any instance.
            assertThat(post(a, "/api/forwarding/site-b/resume").statusCode()).isEqualTo(200);
            Dataset safety = note(study, noteSeries, "113037", "Rejected for Patient Safety Reasons", List.of(images.get(3)));
            assertThat(storescu(a, List.of(safety)).exitCode()).isZero();
            await("B applies the forwarded note", () -> !sops(b).contains(i4) && sops(b).contains(sop(safety)));
            assertThat(get(b, "/api/rejections").body()).contains(i4, "113037", "Rejected for Patient Safety Reasons");
            await("both sites hold the same", () -> sops(a).equals(sops(b)));
            ReconcileReport again = a.sites().reconcile(true);
            assertThat(again.differences()).noneMatch(d -> d.outcome() == ReconcileReport.Outcome.FILLED
                    || d.outcome() == ReconcileReport.Outcome.FAILED);

            // C-FIND (dcmtk findscu): study counts follow, the rejected instances are not listed.
            List<Dataset> found = DimsePeer.find(tmp, "STEADFAST", a.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                    "StudyInstanceUID=" + study, "NumberOfStudyRelatedInstances", "NumberOfStudyRelatedSeries"));
            assertThat(found).hasSize(1);
            assertThat(strip(found.getFirst().getString(Tag.NumberOfStudyRelatedInstances))).isEqualTo("3"); // i3 and two notes
            assertThat(strip(found.getFirst().getString(Tag.NumberOfStudyRelatedSeries))).isEqualTo("2");
            List<Dataset> imagesFound = DimsePeer.find(tmp, "STEADFAST", a.dicomPort(), "-S", List.of("QueryRetrieveLevel=IMAGE",
                    "StudyInstanceUID=" + study, "SeriesInstanceUID", "SOPInstanceUID"));
            assertThat(imagesFound).extracting(d -> strip(d.getString(Tag.SOPInstanceUID)))
                    .containsExactlyInAnyOrder(i3, sop(quality), sop(safety));
            assertThat(DimsePeer.find(tmp, "STEADFAST", a.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                    "StudyInstanceUID=" + study2, "NumberOfStudyRelatedInstances")))
                    .extracting(d -> strip(d.getString(Tag.NumberOfStudyRelatedInstances))).containsExactly("1"); // the note alone

            // QIDO-RS: counts and lists.
            assertThat(get(a, "/dicom-web/studies?StudyInstanceUID=" + study + "&includefield=NumberOfStudyRelatedInstances").body())
                    .contains("\"00201208\":{\"vr\":\"IS\",\"Value\":[3]}");
            assertThat(get(a, "/dicom-web/studies/" + study + "/series?SeriesInstanceUID=" + series
                    + "&includefield=NumberOfSeriesRelatedInstances").body()).contains("\"00201209\":{\"vr\":\"IS\",\"Value\":[1]}");
            // (the notes reference the rejected UIDs in their sequences: look for SOP Instance UID attributes)
            String instances = get(a, "/dicom-web/studies/" + study + "/instances").body();
            assertThat(instances).contains(sopAttr(i3)).doesNotContain(sopAttr(i1), sopAttr(i2), sopAttr(i4));

            // WADO-RS, metadata, WADO-URI.
            String wado = "/dicom-web/studies/" + study + "/series/" + series + "/instances/";
            String multipart = "multipart/related; type=\"application/dicom\"";
            assertThat(get(a, wado + i1, multipart).statusCode()).isEqualTo(404);
            assertThat(get(a, wado + i4 + "/metadata").statusCode()).isEqualTo(404);
            assertThat(get(a, wado + i3, multipart).statusCode()).isEqualTo(200);
            assertThat(get(a, "/dicom-web/studies/" + study + "/metadata").body()).contains(sopAttr(i3))
                    .doesNotContain(sopAttr(i1), sopAttr(i2), sopAttr(i4));
            assertThat(get(a, "/dicom-web/wado?requestType=WADO&studyUID=" + study + "&seriesUID=" + series + "&objectUID=" + i2
                    + "&contentType=application/dicom", "application/dicom").statusCode()).isEqualTo(404);

            // C-GET (dcmtk getscu): the study without what was rejected.
            Path got = Files.createDirectories(tmp.resolve("got"));
            Peers.Result gotten = Peers.run(List.of(Peers.tool("getscu"), "-S", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=STUDY",
                    "-k", "StudyInstanceUID=" + study, "-od", got.toString(), "127.0.0.1", String.valueOf(a.dicomPort())), 60);
            assertThat(gotten.exitCode()).as(gotten.output()).isZero();
            assertThat(receivedSops(got)).containsExactlyInAnyOrder(i3, sop(quality), sop(safety));
            // C-MOVE (dcmtk movescu to storescp): the same.
            Peers.awaitPort(movePort, storescp, 10_000);
            Peers.Result move = Peers.run(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", "MOVEDEST", "-k",
                    "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(a.dicomPort())), 60);
            assertThat(move.exitCode()).as(move.output()).isZero();
            assertThat(receivedSops(moved)).containsExactlyInAnyOrder(i3, sop(quality), sop(safety));

            // A re-send is refused: C-STORE 0124, STOW-RS 409 with Failure Reason 0124 (292).
            Peers.Result resent = storescu(a, List.of(images.get(0)));
            assertThat(resent.output()).contains("Store Response (Unknown Status: 0x124)"); // dcmtk names no C-STORE status 0124: a failure by its range
            HttpResponse<String> stow = stow(a, images.get(1));
            assertThat(stow.statusCode()).as(stow.body()).isEqualTo(409);
            assertThat(stow.body()).contains("\"00081197\":{\"vr\":\"US\",\"Value\":[292]}");
            assertThat(sops(a)).doesNotContain(i1, i2);

            // The instance the note named before it came: accepted, kept hidden.
            assertThat(storescu(a, List.of(late)).exitCode()).isZero();
            assertThat(sops(a)).doesNotContain(sop(late));
            assertThat(get(a, "/dicom-web/studies/" + study + "/instances").body()).doesNotContain(sopAttr(sop(late)));

            // The admin API lists every rejection with its reason.
            HttpResponse<String> listed = get(a, "/api/rejections");
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains(i1, i2, i4, sop(expired), sop(late), "\"codeValue\":\"113001\"",
                    "\"codeValue\":\"113039\"", "\"codeMeaning\":\"Data Retention Policy Expired\"", "\"filesDeleted\":true");
            assertThat(get(a, "/api/rejections?StudyInstanceUID=" + study2).body()).contains(sop(expired)).doesNotContain(i1);

            // Corrections: bad requests name what is wrong, nothing changes.
            HttpResponse<String> uid = patch(a, study, "{\"StudyInstanceUID\": \"1.2.3\"}");
            assertThat(uid.statusCode()).isEqualTo(400);
            assertThat(uid.body()).contains("StudyInstanceUID");
            assertThat(patch(a, study, "{\"PatientBirthDate\": \"1970-01-02\"}").statusCode()).isEqualTo(400);
            assertThat(patch(a, "1.2.3.4.404", "{\"AccessionNumber\": \"X\"}").statusCode()).isEqualTo(404);

            HttpResponse<String> corrected = patch(a, study, """
                    {"PatientName": "CORRECTED^NAME", "PatientID": "IOCM-NEW", "AccessionNumber": "ACC-NEW",
                     "StudyDescription": "After review", "PatientBirthDate": "19700102"}""");
            assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
            List<Dataset> byAccession = DimsePeer.find(tmp, "STEADFAST", a.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                    "AccessionNumber=ACC-NEW", "StudyInstanceUID", "PatientName", "PatientID", "StudyDescription", "PatientBirthDate"));
            assertThat(byAccession).hasSize(1);
            Dataset s = byAccession.getFirst();
            assertThat(strip(s.getString(Tag.StudyInstanceUID))).isEqualTo(study);
            assertThat(strip(s.getString(Tag.PatientName))).isEqualTo("CORRECTED^NAME");
            assertThat(strip(s.getString(Tag.PatientID))).isEqualTo("IOCM-NEW");
            assertThat(strip(s.getString(Tag.StudyDescription))).isEqualTo("After review");
            assertThat(strip(s.getString(Tag.PatientBirthDate))).isEqualTo("19700102");
            assertThat(DimsePeer.find(tmp, "STEADFAST", a.dicomPort(), "-P", List.of("QueryRetrieveLevel=PATIENT",
                    "PatientID=IOCM-NEW", "NumberOfPatientRelatedStudies")))
                    .extracting(d -> strip(d.getString(Tag.NumberOfPatientRelatedStudies))).containsExactly("1");
            assertThat(DimsePeer.find(tmp, "STEADFAST", a.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                    "StudyInstanceUID=" + study, "PatientID=IOCM-1"))).isEmpty();
            assertThat(get(a, "/dicom-web/studies?PatientID=IOCM-NEW&includefield=StudyDescription").body())
                    .contains(study, "CORRECTED^NAME", "ACC-NEW", "After review");
            assertThat(get(a, "/dicom-web/studies/" + study + "/metadata").body()).contains("CORRECTED^NAME", "ACC-NEW")
                    .doesNotContain("OLD^NAME", "ACC-OLD");
            // Retrieve sends the files as received (the documented choice, as for HL7 updates).
            Path again2 = Files.createDirectories(tmp.resolve("got-after"));
            assertThat(Peers.run(List.of(Peers.tool("getscu"), "-S", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=IMAGE",
                    "-k", "StudyInstanceUID=" + study, "-k", "SeriesInstanceUID=" + series, "-k", "SOPInstanceUID=" + i3,
                    "-od", again2.toString(), "127.0.0.1", String.valueOf(a.dicomPort())), 60).exitCode()).isZero();
            try (Stream<Path> f = Files.list(again2)) {
                Dataset retrieved = DicomReader.readFile(f.findFirst().orElseThrow()).dataset();
                assertThat(strip(retrieved.getString(Tag.PatientName))).isEqualTo("OLD^NAME");
            }
        } finally {
            Peers.stop(storescp);
        }
        // The audit trail: who corrected which study's which attributes; tags, never the new values.
        List<String> audit = Files.readAllLines(tmp.resolve("a/data/audit/access.log"), StandardCharsets.UTF_8);
        assertThat(audit).filteredOn(l -> l.contains("csd-code=\"110103\"")).singleElement().satisfies(l -> {
            assertThat(l).contains("EventActionCode=\"U\"", "ParticipantObjectID=\"" + study + "\"", "(0010,0010)", "(0010,0020)",
                    "(0008,0050)", "(0008,1030)", "(0010,0030)", "PATCH /api/studies");
            assertThat(l).doesNotContain("CORRECTED", "After review", "ACC-NEW");
        });
    }

    private Dataset image(String study, String series, int number) {
        Dataset ds = Instances.image(study, series, Instances.uid(), 256);
        ds.setString(Tag.PatientName, VR.PN, "OLD^NAME");
        ds.setString(Tag.PatientID, VR.LO, "IOCM-1");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-OLD");
        ds.setString(Tag.StudyDescription, VR.LO, "Before review");
        ds.setInt(Tag.InstanceNumber, VR.IS, number);
        return ds;
    }

    /** A Key Object Selection rejection note (PS3.3 A.35.4, TID 2010) titled by a CID 7011 code, referencing {@code rejected}. */
    private static Dataset note(String study, String series, String code, String meaning, List<Dataset> rejected) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, KOS);
        ds.setString(Tag.SOPInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.Modality, VR.CS, "KO");
        ds.setString(Tag.PatientName, VR.PN, "OLD^NAME");
        ds.setString(Tag.PatientID, VR.LO, "IOCM-1");
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setString(Tag.ContentDate, VR.DA, "20261207");
        ds.setString(Tag.ContentTime, VR.TM, "120000");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Dataset title = ds.newSequence(Tag.ConceptNameCodeSequence).addItem();
        title.setString(Tag.CodeValue, VR.SH, code);
        title.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        title.setString(Tag.CodeMeaning, VR.LO, meaning);
        Dataset template = ds.newSequence(Tag.ContentTemplateSequence).addItem();
        template.setString(Tag.MappingResource, VR.CS, "DCMR");
        template.setString(Tag.TemplateIdentifier, VR.CS, "2010");
        var evidence = ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence);
        var content = ds.newSequence(Tag.ContentSequence);
        for (Dataset r : rejected) {
            Dataset st = evidence.addItem();
            st.setString(Tag.StudyInstanceUID, VR.UI, r.getString(Tag.StudyInstanceUID));
            Dataset se = st.newSequence(Tag.ReferencedSeriesSequence).addItem();
            se.setString(Tag.SeriesInstanceUID, VR.UI, r.getString(Tag.SeriesInstanceUID));
            Dataset ref = se.newSequence(Tag.ReferencedSOPSequence).addItem();
            ref.setString(Tag.ReferencedSOPClassUID, VR.UI, r.getString(Tag.SOPClassUID));
            ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop(r));
            Dataset item = content.addItem();
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            item.setString(Tag.ValueType, VR.CS, "IMAGE");
            Dataset img = item.newSequence(Tag.ReferencedSOPSequence).addItem();
            img.setString(Tag.ReferencedSOPClassUID, VR.UI, r.getString(Tag.SOPClassUID));
            img.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop(r));
        }
        return ds;
    }

    /** The SOP Instance UID attribute of an instance in DICOM JSON. */
    private static String sopAttr(String uid) {
        return "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]}";
    }

    private static String sop(Dataset d) {
        return d.getString(Tag.SOPInstanceUID);
    }

    private ArchiveNode node(String name, String yaml, Map<String, String> flags, List<String> remoteAes) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path file = yaml == null ? null : Files.writeString(dir.resolve("steadfast.yaml"), yaml);
        return ArchiveNode.start(TestNodes.config(file, dir.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, dir.resolve("data")),
                flags, remoteAes));
    }

    /** dcmtk storescu, one association, files written by our writer; the result unchecked (a refusal is a result). */
    private Peers.Result storescu(ArchiveNode node, List<Dataset> datasets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("storescu"), "-v", "-aec", node.config().dicom().aeTitle(),
                "-aet", "MODALITY", "127.0.0.1", String.valueOf(node.dicomPort())));
        for (Dataset d : datasets) {
            Path f = tmp.resolve("out-" + (++files) + ".dcm");
            try (var out = Files.newOutputStream(f)) {
                DicomWriter.writeFile(out, d, UID.ExplicitVRLittleEndian);
            }
            cmd.add(f.toString());
        }
        return Peers.run(cmd, 60);
    }

    private HttpResponse<String> stow(ArchiveNode node, Dataset d) throws Exception {
        Path f = tmp.resolve("out-" + (++files) + ".dcm");
        try (var out = Files.newOutputStream(f)) {
            DicomWriter.writeFile(out, d, UID.ExplicitVRLittleEndian);
        }
        String boundary = "iocm-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] file = Files.readAllBytes(f);
        byte[] body = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The SOP Instance UIDs the index lists (what every query and retrieve path reads). */
    private static Set<String> sops(ArchiveNode node) {
        return node.index().read(tx -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT sop_uid FROM instance");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private static Path storedFile(Path data, String sop) throws Exception {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow();
        }
    }

    private static Set<String> receivedSops(Path dir) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                out.add(DicomReader.readFile(f).dataset().getString(Tag.SOPInstanceUID));
            }
        }
        return out;
    }

    /** JSON answers (QIDO-RS, metadata, /api). */
    private static HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return get(node, path, "application/dicom+json, application/json");
    }

    private static HttpResponse<String> get(ArchiveNode node, String path, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ArchiveNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(ArchiveNode node, String study, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/studies/" + study))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for a state the system must reach (a generous liveness bound, never a pass/fail timing). */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
