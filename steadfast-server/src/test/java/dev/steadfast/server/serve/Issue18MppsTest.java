package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.DimsePeer.strip;
import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.NCreateService;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.workflow.Procedure;
import dev.steadfast.server.workflow.ProcedureEvents;
import dev.steadfast.testing.Peers;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the Modality Performed Procedure Step SCP (PS3.4 Annex F) through serve's wiring, its
 * relay to another AE, and the Instance Availability Notification (PS3.4 Annex R) to a subscriber.
 *
 * <p>The modality side is our own DIMSE SCU from steadfast-net: neither dcmtk nor any other
 * Debian package ships an MPPS SCU (dcmtk has worklist and storage tools only), and there is no
 * IAN SCP either, so the relay target and the subscriber are our own N-CREATE/N-SET SCPs. The
 * worklist is read with dcmtk's {@code findscu -W}, the images are sent with dcmtk's {@code storescu}.
 */
class Issue18MppsTest {
    private static final String MPPS = UID.ModalityPerformedProcedureStep;

    @TempDir
    Path tmp;

    /** What a peer SCP received, in order: "N-CREATE uid" or "N-SET uid", with its data set. */
    record Received(String what, String uid, Dataset data) {
    }

    /** Our own SCP for MPPS (N-CREATE, N-SET) and IAN (N-CREATE) under {@code aeTitle}. */
    private static AssociationListener peer(String aeTitle, int port, BlockingQueue<Received> into) throws Exception {
        NCreateService create = (rq, uid, data) -> {
            into.add(new Received("N-CREATE " + rq.sopClassUid(), uid, data));
            return new NCreateService.Created(uid, null);
        };
        ServiceRegistry r = ServiceRegistry.builder().nCreate(MPPS, create).nCreate(UID.InstanceAvailabilityNotification, create)
                .nSet(MPPS, (rq, uid, data) -> {
                    into.add(new Received("N-SET " + rq.sopClassUid(), uid, data));
                    return null;
                }).build();
        return DimseServer.start(InetAddress.getLoopbackAddress(), port, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(r, aeTitle).build(), r, 4, null);
    }

    /** Records every procedure event as "kind accession orderKey studyUid [instances]". */
    private static ProcedureEvents recorder(BlockingQueue<String> into) {
        return new ProcedureEvents() {
            @Override
            public void started(Procedure p) {
                into.add("started " + p.accessionNumber() + " " + p.orderKey());
            }

            @Override
            public void completed(Procedure p) {
                into.add("completed " + p.accessionNumber() + " " + p.orderKey());
            }

            @Override
            public void discontinued(Procedure p) {
                into.add("discontinued " + p.accessionNumber() + " " + p.orderKey());
            }

            @Override
            public void instancesAvailable(Procedure p, List<String> sops) {
                into.add("available " + p.accessionNumber() + " " + p.orderKey() + " " + p.studyInstanceUid() + " " + sops.size());
            }
        };
    }

    private ArchiveNode start(Path data, String indexUrl, Map<String, String> extra, List<String> remoteAes, ProcedureEvents events)
            throws Exception {
        return ArchiveNode.start(TestNodes.config(data, indexUrl, extra, remoteAes), events);
    }

    private static DimseClient modality(ArchiveNode node) throws Exception {
        return DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT18").calledAeTitle("STEADFAST")
                .propose(MPPS, ClientOptions.UNCOMPRESSED));
    }

    /** An N-CREATE attribute list (Table F.7.2-1) for the scheduled step given (null values: sent empty). */
    static Dataset inProgress(String studyUid, String accession, String rpId, String spsId) {
        Dataset d = new Dataset();
        Dataset ssas = d.newSequence(Tag.ScheduledStepAttributesSequence).addItem();
        ssas.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        text(ssas, Tag.AccessionNumber, VR.SH, accession);
        text(ssas, Tag.RequestedProcedureID, VR.SH, rpId);
        text(ssas, Tag.ScheduledProcedureStepID, VR.SH, spsId);
        ssas.setNull(Tag.ScheduledProcedureStepDescription, VR.LO);
        d.setString(Tag.PatientName, VR.PN, "DOE^JANE");
        d.setString(Tag.PatientID, VR.LO, "P18-MPPS");
        d.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS-1");
        d.setString(Tag.PerformedStationAETitle, VR.AE, "CT18");
        d.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20261208");
        d.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "093000");
        d.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        d.setString(Tag.Modality, VR.CS, "CT");
        d.setNull(Tag.PerformedProcedureStepEndDate, VR.DA);
        d.setNull(Tag.PerformedProcedureStepEndTime, VR.TM);
        d.newSequence(Tag.PerformedSeriesSequence);
        return d;
    }

    /** An N-SET to {@code status} naming the instances of one series. */
    static Dataset finished(String status, String seriesUid, List<String> sops) {
        Dataset d = new Dataset();
        d.setString(Tag.PerformedProcedureStepStatus, VR.CS, status);
        d.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20261208");
        d.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "094500");
        Sequence series = d.newSequence(Tag.PerformedSeriesSequence);
        if (seriesUid != null) {
            Dataset s = series.addItem();
            s.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
            s.setString(Tag.ProtocolName, VR.LO, "CHEST");
            s.setString(Tag.RetrieveAETitle, VR.AE, "STEADFAST");
            Sequence images = s.newSequence(Tag.ReferencedImageSequence);
            for (String sop : sops) {
                Dataset i = images.addItem();
                i.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
                i.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
            }
            s.newSequence(Tag.ReferencedNonImageCompositeSOPInstanceSequence);
        }
        return d;
    }

    private static void text(Dataset d, int tag, VR vr, String v) {
        if (v == null) {
            d.setNull(tag, vr);
        } else {
            d.setString(tag, vr, v);
        }
    }

    private List<Dataset> worklist(ArchiveNode node, String... keys) throws Exception {
        List<String> k = new ArrayList<>(List.of("AccessionNumber", "StudyInstanceUID", "RequestedProcedureID",
                "ScheduledProcedureStepSequence[0].ScheduledProcedureStepID",
                "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT18"));
        k.addAll(List.of(keys));
        return DimsePeer.find(tmp, "STEADFAST", node.dicomPort(), "-W", k);
    }

    private List<Dataset> scheduled(ArchiveNode node) throws Exception {
        return worklist(node, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStatus=SCHEDULED");
    }

    private String stepStatus(ArchiveNode node, String accession) throws Exception {
        List<Dataset> items = worklist(node, "AccessionNumber=" + accession, "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStatus");
        assertThat(items).hasSize(1);
        return strip(items.getFirst().getSequence(Tag.ScheduledProcedureStepSequence).get(0).getString(Tag.ScheduledProcedureStepStatus));
    }

    private static String study(List<Dataset> items, String accession) {
        return strip(items.stream().filter(d -> strip(d.getString(Tag.AccessionNumber)).equals(accession)).findFirst().orElseThrow()
                .getString(Tag.StudyInstanceUID));
    }

    private static Dataset image(String study, String series, String sop) {
        Dataset ds = Instances.image(study, series, sop, 256);
        ds.setString(Tag.PatientID, VR.LO, "P18-MPPS");
        return ds;
    }

    @Test
    void mppsFollowsTheOrderIsRelayedAndTheNoticeWaitsForTheLastImage() throws Exception {
        BlockingQueue<Received> ris = new LinkedBlockingQueue<>();
        BlockingQueue<Received> subscriber = new LinkedBlockingQueue<>();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (AssociationListener risScp = peer("RIS", 0, ris); AssociationListener subScp = peer("SUB", 0, subscriber);
             ArchiveNode node = start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                     Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "workflow.mpps.forward-to", "ris",
                             "workflow.ian.subscribers", "sub"),
                     List.of("ris=RIS@127.0.0.1:" + risScp.port(), "sub=SUB@127.0.0.1:" + subScp.port()), recorder(events));
             Hl7Client hl7 = new Hl7Client(node.hl7().port())) {
            String pid = seg("PID", 1, "1", 3, "P18-MPPS^^^HOSP", 5, "DOE^JANE");
            for (String n : List.of("1", "2", "3", "4")) {
                Hl7Client.Ack ack = hl7.send(msh("ORM^O01^ORM_O01"), pid, seg("ORC", 1, "NW", 2, "ORD-MPPS-" + n),
                        seg("OBR", 1, "1", 2, "ORD-MPPS-" + n, 18, "ACC-MPPS-" + n, 19, "RP-MPPS-" + n, 20, "SPS-MPPS-" + n,
                                21, "CT18", 24, "CT", 27, "^^^202612080930"));
                assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            }
            List<Dataset> offered = scheduled(node);
            assertThat(offered).extracting(d -> strip(d.getString(Tag.AccessionNumber))).containsExactlyInAnyOrder("ACC-MPPS-1", "ACC-MPPS-2",
                    "ACC-MPPS-3", "ACC-MPPS-4");
            String study = strip(offered.stream().filter(d -> strip(d.getString(Tag.AccessionNumber)).equals("ACC-MPPS-1"))
                    .findFirst().orElseThrow().getString(Tag.StudyInstanceUID));
            String series = Instances.uid();
            List<String> sops = List.of(Instances.uid(), Instances.uid());
            String mpps;
            String mpps2 = Instances.uid();
            String mpps3 = Instances.uid();
            try (DimseClient c = modality(node)) {
                // N-CREATE without a SOP Instance UID: the SCP chooses one and answers it (PS3.7 10.1.5.1.3).
                DimseResponse created = c.nCreate(MPPS, null, inProgress(study, "ACC-MPPS-1", "RP-MPPS-1", "SPS-MPPS-1"));
                assertThat(created.status()).isEqualTo(Status.SUCCESS);
                mpps = created.command().getString(Tag.AffectedSOPInstanceUID);
                assertThat(mpps).startsWith("2.25.");

                // Started: no longer offered as SCHEDULED to another modality; the item says STARTED.
                assertThat(scheduled(node)).extracting(d -> strip(d.getString(Tag.AccessionNumber))).containsExactlyInAnyOrder("ACC-MPPS-2",
                        "ACC-MPPS-3", "ACC-MPPS-4");
                assertThat(stepStatus(node, "ACC-MPPS-1")).isEqualTo("STARTED");
                // A change of the order (XO) while it is performed keeps the step STARTED.
                Hl7Client.Ack changed = hl7.send(msh("ORM^O01^ORM_O01"), pid, seg("ORC", 1, "XO", 2, "ORD-MPPS-1"),
                        seg("OBR", 1, "1", 2, "ORD-MPPS-1", 18, "ACC-MPPS-1", 19, "RP-MPPS-1", 20, "SPS-MPPS-1",
                                21, "CT18", 24, "CT", 27, "^^^202612081000"));
                assertThat(changed.code()).as(changed.text()).isEqualTo("AA");
                assertThat(stepStatus(node, "ACC-MPPS-1")).isEqualTo("STARTED");

                // The state rules, each with its status (PS3.4 F.7.2.1.3, F.7.2.2.3).
                assertThat(c.nCreate(MPPS, mpps, inProgress(study, "ACC-MPPS-1", "RP-MPPS-1", "SPS-MPPS-1")).status())
                        .isEqualTo(Status.DUPLICATE_SOP_INSTANCE);
                Dataset noModality = inProgress(study, null, null, null);
                noModality.remove(Tag.Modality);
                DimseResponse missing = c.nCreate(MPPS, Instances.uid(), noModality);
                assertThat(missing.status()).isEqualTo(new Status(0x0120));
                assertThat(missing.command().getInt(Tag.OffendingElement, 0)).isEqualTo(Tag.Modality);
                Dataset noStudy = inProgress(study, null, null, null);
                noStudy.getSequence(Tag.ScheduledStepAttributesSequence).get(0).remove(Tag.StudyInstanceUID);
                assertThat(c.nCreate(MPPS, Instances.uid(), noStudy).command().getInt(Tag.OffendingElement, 0))
                        .isEqualTo(Tag.StudyInstanceUID);
                Dataset completedAtOnce = inProgress(study, null, null, null);
                completedAtOnce.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
                DimseResponse notInProgress = c.nCreate(MPPS, Instances.uid(), completedAtOnce);
                assertThat(notInProgress.status()).isEqualTo(new Status(0x0106));
                assertThat(notInProgress.command().getInt(Tag.OffendingElement, 0)).isEqualTo(Tag.PerformedProcedureStepStatus);
                assertThat(c.nSet(MPPS, Instances.uid(), finished("COMPLETED", series, sops)).status())
                        .isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
                Dataset otherPatient = new Dataset().setString(Tag.PatientID, VR.LO, "SOMEONE-ELSE");
                DimseResponse fixed = c.nSet(MPPS, mpps, otherPatient);
                assertThat(fixed.status()).isEqualTo(new Status(0x0106));
                assertThat(fixed.command().getInt(Tag.OffendingElement, 0)).isEqualTo(Tag.PatientID);
                assertThat(c.nSet(MPPS, mpps, new Dataset().setString(Tag.PatientID, VR.LO, "P18-MPPS")).status())
                        .as("the same value again is harmless").isEqualTo(Status.SUCCESS);
                DimseResponse noSeries = c.nSet(MPPS, mpps, finished("COMPLETED", null, List.of()));
                assertThat(noSeries.status()).isEqualTo(new Status(0x0121));
                assertThat(noSeries.command().getInt(Tag.OffendingElement, 0)).isEqualTo(Tag.PerformedSeriesSequence);
                assertThat(stepStatus(node, "ACC-MPPS-1")).as("a refused N-SET changes nothing").isEqualTo("STARTED");

                // One image before the completion, one after.
                DimsePeer.store(tmp, node.dicomPort(), image(study, series, sops.get(0)));
                assertThat(c.nSet(MPPS, mpps, finished("COMPLETED", series, sops)).status()).isEqualTo(Status.SUCCESS);
                assertThat(stepStatus(node, "ACC-MPPS-1")).isEqualTo("COMPLETED");

                // Final: no more N-SET, with the standard's error comment (F.7.2.2.4).
                DimseResponse late = c.nSet(MPPS, mpps, new Dataset().setString(Tag.CommentsOnThePerformedProcedureStep, VR.ST, "late"));
                assertThat(late.status()).isEqualTo(Status.PROCESSING_FAILURE);
                assertThat(late.errorComment()).isEqualTo("Performed Procedure Step Object may no longer be updated");
                assertThat(late.command().getInt(Tag.ErrorID, 0)).as("Error ID, PS3.4 Table F.7.2-2").isEqualTo(0xA710);

                node.workflow().deliverNow();
                assertThat(subscriber).as("one image of two is stored: no notice yet").isEmpty();
                assertThat(node.workflow().waiting("ian:sub")).isEmpty();

                DimsePeer.store(tmp, node.dicomPort(), image(study, series, sops.get(1)));
                node.workflow().deliverNow();
                Received ian = subscriber.poll(30, TimeUnit.SECONDS);
                assertThat(ian).isNotNull();
                assertThat(ian.what()).isEqualTo("N-CREATE " + UID.InstanceAvailabilityNotification);
                Dataset pps = ian.data().getSequence(Tag.ReferencedPerformedProcedureStepSequence).get(0);
                assertThat(pps.getString(Tag.ReferencedSOPClassUID)).isEqualTo(MPPS);
                assertThat(pps.getString(Tag.ReferencedSOPInstanceUID)).isEqualTo(mpps);
                assertThat(ian.data().getString(Tag.StudyInstanceUID)).isEqualTo(study);
                Sequence seriesSeq = ian.data().getSequence(Tag.ReferencedSeriesSequence);
                assertThat(seriesSeq.size()).isEqualTo(1);
                assertThat(seriesSeq.get(0).getString(Tag.SeriesInstanceUID)).isEqualTo(series);
                Sequence refs = seriesSeq.get(0).getSequence(Tag.ReferencedSOPSequence);
                assertThat(refs.items()).extracting(r -> r.getString(Tag.ReferencedSOPInstanceUID)).containsExactlyInAnyOrderElementsOf(sops);
                assertThat(refs.items()).extracting(r -> r.getString(Tag.InstanceAvailability)).containsOnly("ONLINE");
                assertThat(refs.items()).extracting(r -> r.getString(Tag.RetrieveAETitle)).containsOnly("STEADFAST");
                assertThat(refs.items()).extracting(r -> r.getString(Tag.ReferencedSOPClassUID)).containsOnly(UID.SecondaryCaptureImageStorage);

                // The second order: started, then discontinued; it is not offered as SCHEDULED again.
                String study2 = strip(offered.stream().filter(d -> strip(d.getString(Tag.AccessionNumber)).equals("ACC-MPPS-2"))
                        .findFirst().orElseThrow().getString(Tag.StudyInstanceUID));
                assertThat(c.nCreate(MPPS, mpps2, inProgress(study2, "ACC-MPPS-2", "RP-MPPS-2", "SPS-MPPS-2")).status())
                        .isEqualTo(Status.SUCCESS);
                assertThat(c.nSet(MPPS, mpps2, finished("DISCONTINUED", null, List.of())).status()).isEqualTo(Status.SUCCESS);
                assertThat(stepStatus(node, "ACC-MPPS-2")).isEqualTo("DISCONTINUED");
                assertThat(scheduled(node)).extracting(d -> strip(d.getString(Tag.AccessionNumber)))
                        .containsExactlyInAnyOrder("ACC-MPPS-3", "ACC-MPPS-4");

                // IHE's group case: one MPPS performing two scheduled steps starts both.
                Dataset group = inProgress(study(offered, "ACC-MPPS-3"), "ACC-MPPS-3", "RP-MPPS-3", "SPS-MPPS-3");
                Dataset second = group.getSequence(Tag.ScheduledStepAttributesSequence).addItem();
                second.setString(Tag.StudyInstanceUID, VR.UI, study(offered, "ACC-MPPS-4"));
                second.setString(Tag.AccessionNumber, VR.SH, "ACC-MPPS-4");
                second.setString(Tag.RequestedProcedureID, VR.SH, "RP-MPPS-4");
                second.setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS-MPPS-4");
                assertThat(c.nCreate(MPPS, mpps3, group).status()).isEqualTo(Status.SUCCESS);
                assertThat(stepStatus(node, "ACC-MPPS-3")).isEqualTo("STARTED");
                assertThat(stepStatus(node, "ACC-MPPS-4")).isEqualTo("STARTED");
                assertThat(scheduled(node)).isEmpty();
                node.workflow().deliverNow();
            }

            // Relayed to the RIS in the order received; refused operations are not relayed.
            List<Received> relayed = new ArrayList<>();
            while (relayed.size() < 6) {
                Received r = ris.poll(30, TimeUnit.SECONDS);
                assertThat(r).as("relayed so far: " + relayed).isNotNull();
                relayed.add(r);
            }
            assertThat(relayed).extracting(r -> r.what().substring(0, r.what().indexOf(' ')) + " " + r.uid()).containsExactly(
                    "N-CREATE " + mpps, "N-SET " + mpps, "N-SET " + mpps, "N-CREATE " + mpps2, "N-SET " + mpps2,
                    "N-CREATE " + mpps3);
            assertThat(relayed.get(0).data().getSequence(Tag.ScheduledStepAttributesSequence).get(0).getString(Tag.AccessionNumber))
                    .isEqualTo("ACC-MPPS-1");
            assertThat(MppsStatus.of(relayed.get(2).data())).isEqualTo("COMPLETED");

            // The procedure events, with the order they belong to.
            List<String> seen = new ArrayList<>();
            while (seen.size() < 6) {
                String e = events.poll(30, TimeUnit.SECONDS);
                assertThat(e).as("events so far: " + seen).isNotNull();
                seen.add(e);
            }
            assertThat(seen).containsExactly("started ACC-MPPS-1 ORD-MPPS-1", "completed ACC-MPPS-1 ORD-MPPS-1",
                    "available ACC-MPPS-1 ORD-MPPS-1 " + study + " 2", "started ACC-MPPS-2 ORD-MPPS-2",
                    "discontinued ACC-MPPS-2 ORD-MPPS-2", "started ACC-MPPS-3 ORD-MPPS-3");
        }
    }

    /**
     * Unscheduled (no order matches) and durable: the MPPS survives a restart between N-CREATE and
     * N-SET, the images come before the completion, the notice is queued while the subscriber is
     * down, survives another restart, and is delivered once the subscriber listens.
     */
    @Test
    void unscheduledMppsSurvivesRestartsAndTheNoticeWaitsForTheSubscriber() throws Exception {
        int subPort = Peers.freePort(); // nobody listens there yet
        Path data = tmp.resolve("data");
        String index = TestNodes.indexUrl(TestNodes.Db.SQLITE, data);
        durableAcrossRestarts(data, index, subPort);
    }

    /** The same on PostgreSQL: the tables, the row lock of N-SET, the outbox claims. */
    @Test
    void unscheduledMppsSurvivesRestartsOnPostgres() throws Exception {
        Path data = tmp.resolve("pg");
        durableAcrossRestarts(data, TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, data), Peers.freePort());
    }

    private void durableAcrossRestarts(Path data, String index, int subPort) throws Exception {
        Map<String, String> flags = Map.of("workflow.ian.subscribers", "sub");
        List<String> aes = List.of("sub=SUB@127.0.0.1:" + subPort);
        String study = Instances.uid();
        String series = Instances.uid();
        List<String> sops = List.of(Instances.uid(), Instances.uid(), Instances.uid());
        String mpps = Instances.uid();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (ArchiveNode node = start(data, index, flags, aes, recorder(events)); DimseClient c = modality(node)) {
            assertThat(c.nCreate(MPPS, mpps, inProgress(study, "ACC-UNSCHEDULED", null, null)).status()).isEqualTo(Status.SUCCESS);
            for (String sop : sops) { // the images before the completion
                DimsePeer.store(tmp, node.dicomPort(), image(study, series, sop));
            }
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("started ACC-UNSCHEDULED null");
        }
        try (ArchiveNode node = start(data, index, flags, aes, ProcedureEvents.NONE); DimseClient c = modality(node)) {
            assertThat(c.nSet(MPPS, mpps, finished("COMPLETED", series, sops)).status()).as("the MPPS survived the restart")
                    .isEqualTo(Status.SUCCESS);
            node.workflow().deliverNow(); // the subscriber is down: the notice waits
            List<dev.steadfast.archive.workflow.WorkflowOutbox.Entry> waiting = node.workflow().waiting("ian:sub");
            assertThat(waiting).hasSize(1);
            // Unreachable is no refusal: it does not count toward the dead letter (Issue18WorkflowUnreachableIsNoRefusalTest).
            assertThat(waiting.getFirst().attempts()).isZero();
            assertThat(waiting.getFirst().lastError()).isNotBlank();
            var metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("steadfast_workflow_outbox_depth{destination=\"ian:sub\"} 1")
                    .contains("steadfast_workflow_outbox_attempts{destination=\"ian:sub\"} 0");
        }
        BlockingQueue<Received> subscriber = new LinkedBlockingQueue<>();
        try (ArchiveNode node = start(data, index, flags, aes, ProcedureEvents.NONE)) {
            assertThat(node.workflow().waiting("ian:sub")).as("still queued after the restart").hasSize(1);
            try (AssociationListener sub = peer("SUB", subPort, subscriber)) {
                node.workflow().retryNow(); // the back-off's next attempt would deliver it too, seconds later
                Received ian = subscriber.poll(90, TimeUnit.SECONDS);
                assertThat(ian).isNotNull();
                assertThat(ian.data().getSequence(Tag.ReferencedPerformedProcedureStepSequence).get(0)
                        .getString(Tag.ReferencedSOPInstanceUID)).isEqualTo(mpps);
                assertThat(ian.data().getString(Tag.StudyInstanceUID)).isEqualTo(study);
                assertThat(ian.data().getSequence(Tag.ReferencedSeriesSequence).get(0).getSequence(Tag.ReferencedSOPSequence).items())
                        .extracting(r -> r.getString(Tag.ReferencedSOPInstanceUID)).containsExactlyInAnyOrderElementsOf(sops);
                while (!node.workflow().waiting("ian:sub").isEmpty()) { // recorded as delivered right after the answer
                    Thread.sleep(50);
                }
                assertThat(subscriber).as("delivered once").isEmpty();
            }
            try (DimseClient c = modality(node)) {
                assertThat(c.nSet(MPPS, mpps, new Dataset().setString(Tag.CommentsOnThePerformedProcedureStep, VR.ST, "x")).status())
                        .isEqualTo(Status.PROCESSING_FAILURE);
            }
        }
    }

    /** The status an N-SET data set sets. */
    private static final class MppsStatus {
        static String of(Dataset d) {
            return d.getString(Tag.PerformedProcedureStepStatus);
        }
    }
}
