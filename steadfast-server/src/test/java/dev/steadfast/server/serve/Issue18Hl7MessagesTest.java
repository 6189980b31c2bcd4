package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: HL7 v2 into serve over MLLP, sent by HAPI's own client. ADT updates reach the stored
 * studies' patient attributes (C-FIND and QIDO-RS), an A40 merge moves the studies to the
 * surviving patient, orders (ORM^O01, OMI^O23) appear in the modality worklist (dcmtk findscu -W)
 * and leave it when cancelled, and every message gets the acknowledgement docs/HL7.md promises:
 * AA, AE with an ERR segment and a dead letter in the admin API, AR for an unsupported type.
 */
class Issue18Hl7MessagesTest {
    @TempDir
    Path tmp;

    private ArchiveNode start() throws Exception {
        return TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1"), List.of());
    }

    private static Dataset image(String patientId, String name) {
        Dataset ds = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientName, VR.PN, name);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19500101");
        ds.setString(Tag.PatientSex, VR.CS, "M");
        return ds;
    }

    private List<Dataset> studies(ArchiveNode node, String... keys) throws Exception {
        List<String> k = new java.util.ArrayList<>(List.of("QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName",
                "PatientBirthDate", "PatientSex"));
        k.addAll(List.of(keys));
        return DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-S", k);
    }

    private static String qido(ArchiveNode node, String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.httpPort() + "/dicom-web/studies?" + query)).header("Accept", "application/dicom+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isIn(200, 204);
        return r.body();
    }

    @Test
    void adtUpdateReachesTheStoredStudysPatientAttributes() throws Exception {
        try (ArchiveNode node = start(); Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            Dataset ct = image("P18-1", "OLD^NAME");
            DimsePeer.store(tmp, node.dicomPort(), ct);

            Hl7Client.Ack ack = hl7.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"),
                    seg("PID", 1, "1", 3, "P18-1^^^HOSP", 5, "NEWNAME^ANNA^M^^DR", 7, "19700102", 8, "F"),
                    seg("PV1", 1, "1", 2, "I", 3, "WARD3^12^B", 19, "V18-1"));
            assertThat(ack.code()).as(ack.text()).isEqualTo("AA");

            List<Dataset> found = studies(node, "PatientID=P18-1");
            assertThat(found).hasSize(1);
            assertThat(strip(found.getFirst().getString(Tag.PatientName))).isEqualTo("NEWNAME^ANNA^M^DR");
            assertThat(strip(found.getFirst().getString(Tag.PatientBirthDate))).isEqualTo("19700102");
            assertThat(strip(found.getFirst().getString(Tag.PatientSex))).isEqualTo("F");
            assertThat(studies(node, "PatientName=NEWNAME*")).hasSize(1); // matching on the index columns too
            String visit = node.index().read(tx -> {
                try (var ps = tx.connection().prepareStatement("SELECT patient_class, visit_number, location FROM hl7_patient"
                        + " WHERE patient_id = 'P18-1' AND issuer = 'HOSP'"); var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) : null;
                }
            });
            assertThat(visit).isEqualTo("I|V18-1|WARD3 12 B"); // the visit, kept with the patient
            assertThat(studies(node, "PatientName=OLD*")).isEmpty();
            assertThat(qido(node, "PatientID=P18-1&includefield=PatientBirthDate")).contains("NEWNAME^ANNA^M^DR")
                    .contains("19700102").doesNotContain("OLD^NAME");

            // WADO-RS metadata answers the update; the stored file is sent as received (docs/HL7.md, the documented choice).
            String study = ct.getString(Tag.StudyInstanceUID);
            String base = "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies/" + study;
            HttpResponse<String> metadata = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metadata"))
                    .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(metadata.body()).contains("NEWNAME^ANNA^M^DR").contains("19700102").doesNotContain("OLD^NAME");
            HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base))
                    .header("Accept", "multipart/related; type=\"application/dicom\"").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(new String(file.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("OLD^NAME");

            // The same update as HL7 2.3 (read with the 2.5.1 structures).
            Hl7Client.Ack v23 = hl7.send(msh("ADT^A08^ADT_A01").replace("|2.5.1", "|2.3"), seg("EVN", 1, "A08"),
                    seg("PID", 1, "1", 3, "P18-1^^^HOSP", 8, "O"));
            assertThat(v23.code()).as(v23.text()).isEqualTo("AA");
            assertThat(strip(studies(node, "PatientID=P18-1").getFirst().getString(Tag.PatientSex))).isEqualTo("O");

            // A04 (registration) of a patient with no study yet: accepted, and nothing else changes.
            assertThat(hl7.send(msh("ADT^A04^ADT_A01"), seg("EVN", 1, "A04"), seg("PID", 1, "1", 3, "P18-NEW^^^HOSP",
                    5, "FRESH^PAT"), seg("PV1", 1, "1", 2, "O")).code()).isEqualTo("AA");
            assertThat(studies(node, "PatientID=P18-NEW")).isEmpty();
        }
        // Audited like the admin API's corrections (issue 18, IOCM): Patient Record, action U, by tag, never the values.
        assertThat(patientRecordAudits()).anySatisfy(l -> assertThat(l).contains("EventActionCode=\"U\"", "HL7 ADT^A08",
                "ParticipantObjectID=\"P18-1\"", "(0010,0010)", "(0010,0030)", "(0010,0040)").doesNotContain("NEWNAME"));
    }

    private List<String> patientRecordAudits() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(tmp.resolve("data/audit/access.log")).stream()
                .filter(l -> l.contains("csd-code=\"110110\"")).toList();
    }

    @Test
    void a40MergeMovesTheMergedPatientsStudiesToTheSurvivor() throws Exception {
        try (ArchiveNode node = start(); Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            Dataset kept = image("P18-KEEP", "KEEP^PAT");
            Dataset merged = image("P18-GONE", "GONE^PAT");
            DimsePeer.store(tmp, node.dicomPort(), kept);
            DimsePeer.store(tmp, node.dicomPort(), merged);

            assertThat(hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-GONE^^^HOSP", 5, "GONE^PAT"),
                    seg("ORC", 1, "NW", 2, "ORD-18-M"), seg("OBR", 1, "1", 2, "ORD-18-M", 18, "ACC-18-M", 21, "CT18", 24, "CT",
                            27, "^^^202612081000")).code()).isEqualTo("AA");
            Hl7Client.Ack ack = hl7.send(msh("ADT^A40^ADT_A39"), seg("EVN", 1, "A40"),
                    seg("PID", 1, "1", 3, "P18-KEEP^^^HOSP", 5, "KEEP^PAT"), seg("MRG", 1, "P18-GONE^^^HOSP"));
            assertThat(ack.code()).as(ack.text()).isEqualTo("AA");

            List<Dataset> survivor = studies(node, "PatientID=P18-KEEP");
            assertThat(survivor).extracting(d -> strip(d.getString(Tag.StudyInstanceUID)))
                    .containsExactlyInAnyOrder(kept.getString(Tag.StudyInstanceUID), merged.getString(Tag.StudyInstanceUID));
            assertThat(survivor).extracting(d -> strip(d.getString(Tag.PatientName))).containsOnly("KEEP^PAT");
            assertThat(studies(node, "PatientID=P18-GONE")).isEmpty();
            List<Dataset> patients = DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-P",
                    List.of("QueryRetrieveLevel=PATIENT", "PatientID=P18-*", "NumberOfPatientRelatedStudies"));
            assertThat(patients).hasSize(1);
            assertThat(strip(patients.getFirst().getString(Tag.PatientID))).isEqualTo("P18-KEEP");
            assertThat(strip(patients.getFirst().getString(Tag.NumberOfPatientRelatedStudies))).isEqualTo("2");
            assertThat(qido(node, "PatientID=P18-KEEP")).contains(merged.getString(Tag.StudyInstanceUID));
            List<Dataset> moved = worklist(node, "AccessionNumber=ACC-18-M");
            assertThat(moved).extracting(d -> strip(d.getString(Tag.PatientID))).containsExactly("P18-KEEP");
            assertThat(moved).extracting(d -> strip(d.getString(Tag.PatientName))).containsExactly("KEEP^PAT");
            assertThat(qido(node, "PatientID=P18-GONE")).doesNotContain(merged.getString(Tag.StudyInstanceUID));
        }
        assertThat(patientRecordAudits()).anySatisfy(l -> assertThat(l).contains("EventActionCode=\"U\"", "HL7 ADT^A40",
                "ParticipantObjectID=\"P18-KEEP\"", "(0010,0020)", "(0010,0021)").doesNotContain("KEEP^PAT"));
    }

    private List<Dataset> worklist(ArchiveNode node, String... keys) throws Exception {
        List<String> k = new java.util.ArrayList<>(List.of("PatientName", "PatientID", "AccessionNumber", "StudyInstanceUID",
                "RequestedProcedureID", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepID"));
        k.addAll(List.of(keys));
        return DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", k);
    }

    private static Dataset step(Dataset item) {
        Sequence s = item.getSequence(Tag.ScheduledProcedureStepSequence);
        assertThat(s).isNotNull();
        assertThat(s.size()).isEqualTo(1);
        return s.get(0);
    }

    @Test
    void ormOrderIsInTheWorklistChangesAndLeavesItWhenCancelled() throws Exception {
        try (ArchiveNode node = start(); Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            String pid = seg("PID", 1, "1", 3, "P18-W1^^^HOSP", 5, "DOE^JANE", 7, "19800101", 8, "F");
            String pv1 = seg("PV1", 1, "1", 2, "O", 3, "RAD^101^1", 8, "1234^WELBY^MARCUS");
            Hl7Client.Ack placed = hl7.send(msh("ORM^O01^ORM_O01"), pid, pv1, seg("ORC", 1, "NW", 2, "ORD-18-1", 3, "FIL-1"),
                    seg("OBR", 1, "1", 2, "ORD-18-1", 4, "CTCHEST^CT Chest^L", 18, "ACC-18-1", 19, "RP-18-1", 20, "SPS-18-1",
                            21, "CT18", 24, "CT", 27, "^^^202612080930"));
            assertThat(placed.code()).as(placed.text()).isEqualTo("AA");

            List<Dataset> items = worklist(node, "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT18",
                    "ScheduledProcedureStepSequence[0].Modality=CT", "CurrentPatientLocation", "ReferringPhysicianName");
            assertThat(items).hasSize(1);
            Dataset item = items.getFirst();
            assertThat(strip(item.getString(Tag.PatientName))).isEqualTo("DOE^JANE");
            assertThat(strip(item.getString(Tag.PatientID))).isEqualTo("P18-W1");
            assertThat(strip(item.getString(Tag.AccessionNumber))).isEqualTo("ACC-18-1");
            assertThat(strip(item.getString(Tag.RequestedProcedureID))).isEqualTo("RP-18-1");
            assertThat(strip(item.getString(Tag.CurrentPatientLocation))).isEqualTo("RAD 101 1");
            assertThat(strip(item.getString(Tag.ReferringPhysicianName))).isEqualTo("WELBY^MARCUS");
            assertThat(strip(item.getString(Tag.StudyInstanceUID))).startsWith("2.25.");
            assertThat(strip(step(item).getString(Tag.ScheduledProcedureStepStartDate))).isEqualTo("20261208");
            assertThat(strip(step(item).getString(Tag.ScheduledProcedureStepStartTime))).isEqualTo("0930");
            assertThat(strip(step(item).getString(Tag.ScheduledProcedureStepID))).isEqualTo("SPS-18-1");
            assertThat(worklist(node, "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MR18")).isEmpty();

            // XO moves it to the next day: found on the new date only, with the same Study Instance UID.
            assertThat(hl7.send(msh("ORM^O01^ORM_O01"), pid, pv1, seg("ORC", 1, "XO", 2, "ORD-18-1", 3, "FIL-1"),
                    seg("OBR", 1, "1", 2, "ORD-18-1", 4, "CTCHEST^CT Chest^L", 18, "ACC-18-1", 19, "RP-18-1", 20, "SPS-18-1",
                            21, "CT18", 24, "CT", 27, "^^^202612091100")).code()).isEqualTo("AA");
            assertThat(worklist(node, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261208")).isEmpty();
            List<Dataset> moved = worklist(node, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261209-");
            assertThat(moved).hasSize(1);
            assertThat(strip(moved.getFirst().getString(Tag.StudyInstanceUID))).isEqualTo(strip(item.getString(Tag.StudyInstanceUID)));

            // An ADT update of the patient reaches the worklist item.
            assertThat(hl7.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"), seg("PID", 1, "1", 3, "P18-W1^^^HOSP",
                    5, "DOE-SMITH^JANE")).code()).isEqualTo("AA");
            assertThat(worklist(node, "PatientName=DOE-SMITH*")).hasSize(1);

            assertThat(hl7.send(msh("ORM^O01^ORM_O01"), pid, pv1, seg("ORC", 1, "CA", 2, "ORD-18-1"),
                    seg("OBR", 1, "1", 2, "ORD-18-1")).code()).isEqualTo("AA");
            assertThat(worklist(node)).isEmpty();
        }
        // Worklist queries are in the audit trail, as C-FIND queries are (PS3.15 A.5.3.10).
        assertThat(java.nio.file.Files.readString(tmp.resolve("data/audit/access.log"))).contains("1.2.840.10008.5.1.4.31");
    }

    @Test
    void omiOrderGivesOneWorklistItemPerIpcStep() throws Exception {
        try (ArchiveNode node = start(); Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            String pid = seg("PID", 1, "1", 3, "P18-W2^^^HOSP", 5, "ROE^RICHARD", 7, "19610203", 8, "M");
            Hl7Client.Ack placed = hl7.send(msh("OMI^O23^OMI_O23"), pid, seg("PV1", 1, "1", 2, "O"),
                    seg("ORC", 1, "NW", 2, "ORD-18-2"), seg("TQ1", 1, "1", 7, "20261210140000"),
                    seg("OBR", 1, "1", 2, "ORD-18-2", 4, "MRHEAD^MR Head^L"),
                    seg("IPC", 1, "ACC-18-2", 2, "RP-18-2", 3, "1.2.826.0.1.3680043.18.2", 4, "SPS-18-2A", 5, "MR", 9, "MR18A"),
                    seg("IPC", 1, "ACC-18-2", 2, "RP-18-2", 3, "1.2.826.0.1.3680043.18.2", 4, "SPS-18-2B", 5, "MR", 9, "MR18B"));
            assertThat(placed.code()).as(placed.text()).isEqualTo("AA");

            List<Dataset> items = worklist(node, "AccessionNumber=ACC-18-2");
            assertThat(items).hasSize(2);
            assertThat(items).extracting(d -> strip(step(d).getString(Tag.ScheduledStationAETitle)))
                    .containsExactlyInAnyOrder("MR18A", "MR18B");
            assertThat(items).extracting(d -> strip(d.getString(Tag.StudyInstanceUID))).containsOnly("1.2.826.0.1.3680043.18.2");
            assertThat(worklist(node, "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MR18B",
                    "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime=130000-150000")).hasSize(1);
            assertThat(worklist(node, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime=150000-")).isEmpty();

            assertThat(hl7.send(msh("OMI^O23^OMI_O23"), pid, seg("ORC", 1, "CA", 2, "ORD-18-2"),
                    seg("OBR", 1, "1", 2, "ORD-18-2")).code()).isEqualTo("AA");
            assertThat(worklist(node, "AccessionNumber=ACC-18-2")).isEmpty();
        }
    }

    @Test
    void unprocessableMessagesAreAnsweredAeAndKeptAsDeadLettersUnsupportedOnesAr() throws Exception {
        try (ArchiveNode node = start(); Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            // No patient identifier: AE, ERR with code 101 (required field missing).
            Hl7Client.Ack noPid = hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 5, "NOID^PAT"),
                    seg("ORC", 1, "NW", 2, "ORD-18-BAD"), seg("OBR", 1, "1", 2, "ORD-18-BAD", 24, "CT"));
            assertThat(noPid.code()).as(noPid.text()).isEqualTo("AE");
            assertThat(noPid.errorCode()).as(noPid.text()).isEqualTo("101");
            // The cancel of an order never placed: AE.
            Hl7Client.Ack unknown = hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-X"),
                    seg("ORC", 1, "CA", 2, "ORD-18-NEVER"), seg("OBR", 1, "1", 2, "ORD-18-NEVER"));
            assertThat(unknown.code()).as(unknown.text()).isEqualTo("AE");
            assertThat(unknown.err()).as(unknown.text()).isNotNull();
            String pid = seg("PID", 1, "1", 3, "P18-X^^^HOSP");
            Hl7Client.Ack badTime = hl7.send(msh("ORM^O01^ORM_O01"), pid, seg("ORC", 1, "NW", 2, "ORD-18-T"),
                    seg("OBR", 1, "1", 2, "ORD-18-T", 24, "CT", 27, "^^^2026-12-08"));
            assertThat(badTime.code()).isEqualTo("AE");
            assertThat(badTime.errorCode()).isEqualTo("102");
            Hl7Client.Ack badControl = hl7.send(msh("ORM^O01^ORM_O01"), pid, seg("ORC", 1, "SC", 2, "ORD-18-S"),
                    seg("OBR", 1, "1", 2, "ORD-18-S"));
            assertThat(badControl.code()).isEqualTo("AE");
            assertThat(badControl.errorCode()).isEqualTo("103");
            Hl7Client.Ack twice = hl7.send(msh("OMI^O23^OMI_O23"), pid, seg("ORC", 1, "NW", 2, "ORD-18-D"),
                    seg("OBR", 1, "1", 2, "ORD-18-D"), seg("IPC", 1, "A", 4, "SPS-D", 5, "CT"), seg("IPC", 1, "A", 4, "SPS-D", 5, "CT"));
            assertThat(twice.code()).isEqualTo("AE");
            assertThat(twice.errorCode()).isEqualTo("205");
            // A type we do not process: AR, ERR code 200 (unsupported message type); not a dead letter.
            Hl7Client.Ack siu = hl7.send(msh("SIU^S12^SIU_S12"), seg("SCH", 1, "1"));
            assertThat(siu.code()).as(siu.text()).isEqualTo("AR");
            assertThat(siu.errorCode()).isEqualTo("200");
            Hl7Client.Ack a03 = hl7.send(msh("ADT^A03^ADT_A03"), seg("EVN", 1, "A03"), seg("PID", 1, "1", 3, "P18-X"));
            assertThat(a03.code()).isEqualTo("AR");
            assertThat(a03.errorCode()).isEqualTo("201");

            HttpResponse<String> dead = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/api/hl7/dead-letters")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(dead.statusCode()).isEqualTo(200);
            assertThat(dead.body()).contains("\"messageType\":\"ORM^O01\"").contains("PID-3").contains("ORD-18-NEVER")
                    .contains("is not scheduled").contains("ORD-18-T").contains("ORD-18-S").contains("ORD-18-D")
                    .doesNotContain("SIU");
            assertThat(worklist(node)).isEmpty();
        }
    }
}
