package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.testing.ServeProcess;
import dev.steadfast.testing.Peers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, the workflow from order to availability notice on {@code steadfast serve} in its own
 * JVM, killed with kill -9 twice along the way: an ORM order over HL7 (HAPI's client), dcmtk
 * {@code findscu -W} finds it, the modality starts and completes the MPPS (our own SCU: no MPPS
 * SCU exists in dcmtk or Debian), dcmtk {@code storescu} sends the images (one before the first
 * kill, one after), and the subscriber (our own IAN SCP) gets the notice. After each restart
 * every query still reflects each step.
 */
class Issue18ScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void orderWorklistMppsImagesAndNoticeSurviveKillMinusNine() throws Exception {
        BlockingQueue<Issue18MppsTest.Received> notices = new LinkedBlockingQueue<>();
        int hl7Port = Peers.freePort();
        try (AssociationListener subscriber = peer(notices);
             ServeProcess serve = ServeProcess.start("scenario", tmp.resolve("node"), Map.of("STEADFAST_HL7_PORT",
                     String.valueOf(hl7Port), "STEADFAST_HL7_BIND", "127.0.0.1", "STEADFAST_REMOTE_AES",
                     "sub=SUB@127.0.0.1:" + subscriber.port(), "STEADFAST_WORKFLOW_IAN_SUBSCRIBERS", "sub"))) {
            try (Hl7Client hl7 = new Hl7Client(hl7Port)) {
                Hl7Client.Ack ack = hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-SCEN^^^HOSP", 5, "SCENARIO^PAT"),
                        seg("ORC", 1, "NW", 2, "ORD-SCEN"), seg("OBR", 1, "1", 2, "ORD-SCEN", 18, "ACC-SCEN", 19, "RP-SCEN",
                                20, "SPS-SCEN", 21, "CT18", 24, "CT", 27, "^^^202612081000"));
                assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            }
            List<Dataset> offered = worklist(serve, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStatus=SCHEDULED");
            assertThat(offered).hasSize(1);
            String study = strip(offered.getFirst().getString(Tag.StudyInstanceUID));
            String series = Instances.uid();
            List<String> sops = List.of(Instances.uid(), Instances.uid());
            String mpps = Instances.uid();
            try (DimseClient c = modality(serve)) {
                assertThat(c.nCreate(UID.ModalityPerformedProcedureStep, mpps,
                        Issue18MppsTest.inProgress(study, "ACC-SCEN", "RP-SCEN", "SPS-SCEN")).status()).isEqualTo(Status.SUCCESS);
                DimsePeer.store(tmp, serve.dicomPort(), image(study, series, sops.get(0)));
                assertThat(c.nSet(UID.ModalityPerformedProcedureStep, mpps, Issue18MppsTest.finished("COMPLETED", series, sops))
                        .status()).isEqualTo(Status.SUCCESS);
            }

            serve.restart(); // kill -9: the MPPS is completed, one image of two is stored, no notice yet
            assertThat(stepStatus(serve)).isEqualTo("COMPLETED");
            assertThat(instances(serve, study)).isEqualTo("1");
            DimsePeer.store(tmp, serve.dicomPort(), image(study, series, sops.get(1)));
            Issue18MppsTest.Received ian = notices.poll(60, TimeUnit.SECONDS);
            assertThat(ian).as("the notice after the last image, across the kill").isNotNull();
            assertThat(ian.data().getSequence(Tag.ReferencedPerformedProcedureStepSequence).get(0).getString(Tag.ReferencedSOPInstanceUID))
                    .isEqualTo(mpps);
            assertThat(ian.data().getString(Tag.StudyInstanceUID)).isEqualTo(study);
            assertThat(ian.data().getSequence(Tag.ReferencedSeriesSequence).get(0).getSequence(Tag.ReferencedSOPSequence).items())
                    .extracting(r -> r.getString(Tag.ReferencedSOPInstanceUID)).containsExactlyInAnyOrderElementsOf(sops);

            serve.restart(); // kill -9 again: every step is still what the queries say
            assertThat(worklist(serve, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStatus=SCHEDULED")).isEmpty();
            assertThat(stepStatus(serve)).isEqualTo("COMPLETED");
            assertThat(instances(serve, study)).isEqualTo("2");
            try (DimseClient c = modality(serve)) {
                DimseResponse late = c.nSet(UID.ModalityPerformedProcedureStep, mpps,
                        new Dataset().setString(Tag.CommentsOnThePerformedProcedureStep, VR.ST, "after the kill"));
                assertThat(late.status()).as("still final").isEqualTo(Status.PROCESSING_FAILURE);
                assertThat(c.nCreate(UID.ModalityPerformedProcedureStep, mpps,
                        Issue18MppsTest.inProgress(study, "ACC-SCEN", "RP-SCEN", "SPS-SCEN")).status()).isEqualTo(Status.DUPLICATE_SOP_INSTANCE);
            }
        }
    }

    /**
     * The rest of the issue's scenario, on PostgreSQL reached through a link the test cuts (the
     * database "down"): with the index up, an order, its MPPS and images and the notice; with it
     * down, a report (Encapsulated PDF) and a dictation (Basic Voice Audio) are stored and one image
     * is rejected (IOCM), all acknowledged from the ingest journal, and serve is killed with kill -9
     * and started again while the database is still down; once it is back, the journal is applied
     * and the patient is merged (ADT A40); every query then reflects each step, also after a
     * last kill -9.
     */
    @Test
    void reportDictationRejectionAndMergeAcrossTheDatabaseDownAndKillMinusNine() throws Exception {
        String url = dev.steadfast.testing.SharedPostgres.freshDatabase();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//([^:/]+):(\\d+)/").matcher(url);
        assertThat(m.find()).as(url).isTrue();
        BlockingQueue<Issue18MppsTest.Received> notices = new LinkedBlockingQueue<>();
        int hl7Port = Peers.freePort();
        try (dev.steadfast.testing.TcpProxy db = dev.steadfast.testing.TcpProxy.start("127.0.0.1", Integer.parseInt(m.group(2)));
             AssociationListener subscriber = peer(notices);
             ServeProcess serve = ServeProcess.start("scenario-db", tmp.resolve("node-db"), Map.of(
                     "STEADFAST_INDEX_URL", url.replace(m.group(0), "//127.0.0.1:" + db.port() + "/"),
                     "STEADFAST_HL7_PORT", String.valueOf(hl7Port), "STEADFAST_HL7_BIND", "127.0.0.1",
                     "STEADFAST_REMOTE_AES", "sub=SUB@127.0.0.1:" + subscriber.port(), "STEADFAST_WORKFLOW_IAN_SUBSCRIBERS", "sub"))) {
            try (Hl7Client hl7 = new Hl7Client(hl7Port)) {
                assertThat(hl7.send(msh("ORM^O01^ORM_O01"), seg("PID", 1, "1", 3, "P18-DB^^^HOSP", 5, "BEFORE^MERGE"),
                        seg("ORC", 1, "NW", 2, "ORD-DB"), seg("OBR", 1, "1", 2, "ORD-DB", 18, "ACC-DB", 19, "RP-DB",
                                20, "SPS-DB", 21, "CT18", 24, "CT", 27, "^^^202612081100")).code()).isEqualTo("AA");
            }
            List<Dataset> offered = DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-W", List.of("AccessionNumber=ACC-DB",
                    "StudyInstanceUID", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT18"));
            assertThat(offered).hasSize(1);
            String study = strip(offered.getFirst().getString(Tag.StudyInstanceUID));
            String series = Instances.uid();
            List<String> sops = List.of(Instances.uid(), Instances.uid());
            String mpps = Instances.uid();
            try (DimseClient c = modality(serve)) {
                assertThat(c.nCreate(UID.ModalityPerformedProcedureStep, mpps,
                        Issue18MppsTest.inProgress(study, "ACC-DB", "RP-DB", "SPS-DB")).status()).isEqualTo(Status.SUCCESS);
                for (String sop : sops) {
                    DimsePeer.store(tmp, serve.dicomPort(), patient(Instances.image(study, series, sop, 256)));
                }
                assertThat(c.nSet(UID.ModalityPerformedProcedureStep, mpps, Issue18MppsTest.finished("COMPLETED", series, sops))
                        .status()).isEqualTo(Status.SUCCESS);
            }
            assertThat(notices.poll(60, TimeUnit.SECONDS)).as("the availability notice").isNotNull();

            db.cut(); // the database is down: what arrives now is acknowledged from the journal
            Dataset report = patient(report(study));
            Dataset dictation = patient(dictation(study));
            Dataset rejection = patient(rejection(study, series, sops.get(0)));
            DimsePeer.store(tmp, serve.dicomPort(), report);
            DimsePeer.store(tmp, serve.dicomPort(), dictation);
            serve.restart(); // kill -9 with the journal holding them, and a start with the database still down
            DimsePeer.store(tmp, serve.dicomPort(), rejection);
            db.restore();

            // The journal applied: the report, the dictation and the note are in the study, the rejected image is not.
            List<String> expected = List.of(sops.get(1), report.getString(Tag.SOPInstanceUID), dictation.getString(Tag.SOPInstanceUID),
                    rejection.getString(Tag.SOPInstanceUID));
            long end = System.nanoTime() + 120_000_000_000L; // a bound for a loaded machine, not a measure
            while (!images(serve, study).equals(new java.util.TreeSet<>(expected))) {
                assertThat(System.nanoTime()).as("the journal applied once the database is back: " + images(serve, study))
                        .isLessThan(end);
                Thread.sleep(500);
            }
            try (Hl7Client hl7 = new Hl7Client(hl7Port)) {
                Hl7Client.Ack merged = hl7.send(msh("ADT^A40^ADT_A39"), seg("EVN", 1, "A40"),
                        seg("PID", 1, "1", 3, "P18-KEPT^^^HOSP", 5, "AFTER^MERGE"), seg("MRG", 1, "P18-DB^^^HOSP"));
                assertThat(merged.code()).as(merged.text()).isEqualTo("AA");
            }
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    serve.restart(); // a last kill -9: every step still what the queries say
                }
                assertThat(images(serve, study)).containsExactlyInAnyOrderElementsOf(expected);
                List<Dataset> kept = DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                        "PatientID=P18-KEPT", "StudyInstanceUID", "PatientName", "ModalitiesInStudy"));
                assertThat(kept).extracting(d -> strip(d.getString(Tag.StudyInstanceUID))).containsExactly(study);
                assertThat(strip(kept.getFirst().getString(Tag.PatientName))).isEqualTo("AFTER^MERGE");
                assertThat(DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                        "PatientID=P18-DB", "StudyInstanceUID"))).isEmpty();
                List<Dataset> step = DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-W", List.of("AccessionNumber=ACC-DB",
                        "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStatus"));
                assertThat(step).hasSize(1);
                assertThat(strip(step.getFirst().getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                        .getString(Tag.ScheduledProcedureStepStatus))).isEqualTo("COMPLETED");
            }
        }
    }

    /** SOP Instance UIDs C-FIND lists at image level in the study. */
    private java.util.Set<String> images(ServeProcess serve, String study) throws Exception {
        List<Dataset> found = DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-S", List.of("QueryRetrieveLevel=IMAGE",
                "StudyInstanceUID=" + study, "SOPInstanceUID"));
        java.util.Set<String> out = new java.util.TreeSet<>();
        found.forEach(d -> out.add(strip(d.getString(Tag.SOPInstanceUID))));
        return out;
    }

    private static Dataset patient(Dataset ds) {
        ds.setString(Tag.PatientID, VR.LO, "P18-DB");
        ds.setString(Tag.IssuerOfPatientID, VR.LO, "HOSP");
        ds.setString(Tag.PatientName, VR.PN, "BEFORE^MERGE");
        return ds;
    }

    private static Dataset document(String sopClass, String study, String modality) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Instances.uid());
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-DB");
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        return ds;
    }

    /** The radiologist's report as an Encapsulated PDF (PS3.3 A.45.1). */
    private static Dataset report(String study) {
        Dataset ds = document(UID.EncapsulatedPDFStorage, study, "DOC");
        ds.setString(Tag.MIMETypeOfEncapsulatedDocument, VR.LO, "application/pdf");
        ds.setString(Tag.DocumentTitle, VR.ST, "CT report");
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return ds;
    }

    /** The dictation as a Basic Voice Audio Waveform (PS3.3 A.34.2): one channel, 8 kHz mu-law. */
    private static Dataset dictation(String study) {
        Dataset ds = document("1.2.840.10008.5.1.4.1.1.9.4.1", study, "AU");
        Dataset w = ds.newSequence(Tag.WaveformSequence).addItem();
        w.setString(Tag.WaveformOriginality, VR.CS, "ORIGINAL");
        w.setInt(Tag.NumberOfWaveformChannels, VR.US, 1);
        w.setInt(Tag.NumberOfWaveformSamples, VR.UL, 800);
        w.setString(Tag.SamplingFrequency, VR.DS, "8000");
        w.setInt(Tag.WaveformBitsAllocated, VR.US, 8);
        w.setString(Tag.WaveformSampleInterpretation, VR.CS, "MB");
        w.setBytes(Tag.WaveformData, VR.OB, new byte[800]);
        return ds;
    }

    /** An IOCM rejection note (KOS titled 113001, Rejected for Quality Reasons) for one image. */
    private static Dataset rejection(String study, String series, String sop) {
        Dataset ds = document(UID.KeyObjectSelectionDocumentStorage, study, "KO");
        ds.setString(Tag.ContentDate, VR.DA, "20261208");
        ds.setString(Tag.ContentTime, VR.TM, "120000");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Dataset title = ds.newSequence(Tag.ConceptNameCodeSequence).addItem();
        title.setString(Tag.CodeValue, VR.SH, "113001");
        title.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        title.setString(Tag.CodeMeaning, VR.LO, "Rejected for Quality Reasons");
        Dataset st = ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addItem();
        st.setString(Tag.StudyInstanceUID, VR.UI, study);
        Dataset se = st.newSequence(Tag.ReferencedSeriesSequence).addItem();
        se.setString(Tag.SeriesInstanceUID, VR.UI, series);
        Dataset ref = se.newSequence(Tag.ReferencedSOPSequence).addItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        Dataset item = ds.newSequence(Tag.ContentSequence).addItem();
        item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        item.setString(Tag.ValueType, VR.CS, "IMAGE");
        Dataset img = item.newSequence(Tag.ReferencedSOPSequence).addItem();
        img.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        img.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        return ds;
    }

    private static AssociationListener peer(BlockingQueue<Issue18MppsTest.Received> into) throws Exception {
        var r = dev.steadfast.net.dimse.ServiceRegistry.builder().nCreate(UID.InstanceAvailabilityNotification, (rq, uid, data) -> {
            into.add(new Issue18MppsTest.Received("N-CREATE", uid, data));
            return new dev.steadfast.net.dimse.NCreateService.Created(uid, null);
        }).build();
        return dev.steadfast.net.dimse.DimseServer.start(java.net.InetAddress.getLoopbackAddress(), 0,
                dev.steadfast.net.assoc.AssociationConfig.DEFAULTS, dev.steadfast.net.dimse.DimseServer.policyFor(r, "SUB").build(),
                r, 4, null);
    }

    private static DimseClient modality(ServeProcess serve) throws Exception {
        return DimseClient.open("127.0.0.1", serve.dicomPort(), new ClientOptions().callingAeTitle("CT18").calledAeTitle("STEADFAST")
                .propose(UID.ModalityPerformedProcedureStep, ClientOptions.UNCOMPRESSED));
    }

    private List<Dataset> worklist(ServeProcess serve, String... keys) throws Exception {
        List<String> k = new java.util.ArrayList<>(List.of("AccessionNumber=ACC-SCEN", "StudyInstanceUID",
                "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT18"));
        k.addAll(List.of(keys));
        return DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-W", k);
    }

    private String stepStatus(ServeProcess serve) throws Exception {
        List<Dataset> items = worklist(serve, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStatus");
        assertThat(items).hasSize(1);
        return strip(items.getFirst().getSequence(Tag.ScheduledProcedureStepSequence).get(0).getString(Tag.ScheduledProcedureStepStatus));
    }

    private String instances(ServeProcess serve, String study) throws Exception {
        List<Dataset> found = DimsePeer.find(tmp, "STEADFAST", serve.dicomPort(), "-S", List.of("QueryRetrieveLevel=STUDY",
                "StudyInstanceUID=" + study, "NumberOfStudyRelatedInstances"));
        assertThat(found).hasSize(1);
        return strip(found.getFirst().getString(Tag.NumberOfStudyRelatedInstances));
    }

    private static Dataset image(String study, String series, String sop) {
        Dataset ds = Instances.image(study, series, sop, 256);
        ds.setString(Tag.PatientID, VR.LO, "P18-SCEN");
        return ds;
    }
}
