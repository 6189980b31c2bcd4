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
