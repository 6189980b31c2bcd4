package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
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
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.RandomAccessFile;
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
 * Storage commitment: success only for instances that are stored and whose bytes still match
 * their checksum; the result comes on the requestor's association while it stays open, else (or
 * with {@code dicom.commitment-report: new-association}) on a new association to the requestor's
 * configured address. A damaged copy is never delivered by C-GET either.
 */
class ServeStorageCommitmentTest {
    @TempDir
    Path tmp;

    @Test
    void commitsOnlyInstancesThatAreStoredAndIntactReportedOnANewAssociation() throws Exception {
        BlockingQueue<Dataset> reports = new LinkedBlockingQueue<>();
        List<Integer> eventTypes = new ArrayList<>();
        ServiceRegistry requestorSide = ServiceRegistry.builder()
                .nEventReport(UID.StorageCommitmentPushModel, (rq, type, info) -> {
                    eventTypes.add(type);
                    reports.add(info);
                    return null;
                }).build();
        try (AssociationListener modality = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(requestorSide, "MODALITY").build(), requestorSide, 4, null);
             ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of("dicom.commitment-report", "new-association"),
                     List.of("modality=MODALITY@127.0.0.1:" + modality.port()))) {
            ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                    .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian)
                    .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ImplicitVRLittleEndian)
                    .scpRole(UID.SecondaryCaptureImageStorage);
            String study = Instances.uid();
            String series = Instances.uid();
            List<String> sops = List.of(Instances.uid(), Instances.uid(), Instances.uid());
            String never = Instances.uid();
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                for (String sop : sops) {
                    assertThat(c.store(Instances.source(Instances.image(study, series, sop, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
                }
                // All stored and intact: event type 1, every instance referenced.
                DimseResponse r = c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, request("2.25.1", sops));
                assertThat(r.status()).isEqualTo(Status.SUCCESS);
                Dataset report = reports.poll(20, TimeUnit.SECONDS);
                assertThat(report).isNotNull();
                assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.1");
                assertThat(report.getSequence(Tag.ReferencedSOPSequence).size()).isEqualTo(3);
                assertThat(report.getSequence(Tag.FailedSOPSequence)).isNull();

                // One damaged on disk after it was acknowledged, one never sent.
                StoredInstance damaged = node.index().read(tx -> tx.instances().find(sops.get(1))).orElseThrow();
                try (RandomAccessFile f = new RandomAccessFile(node.storage().root().resolve(damaged.record().storageKey()).toFile(), "rw")) {
                    f.seek(f.length() - 10);
                    f.write(0x5A);
                }
                List<String> asked = new ArrayList<>(sops);
                asked.add(never);
                r = c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, request("2.25.2", asked));
                assertThat(r.status()).isEqualTo(Status.SUCCESS);
                report = reports.poll(20, TimeUnit.SECONDS);
                assertThat(report).isNotNull();
                assertThat(uids(report.getSequence(Tag.ReferencedSOPSequence))).containsExactlyInAnyOrder(sops.get(0), sops.get(2));
                Sequence failed = report.getSequence(Tag.FailedSOPSequence);
                assertThat(uids(failed)).containsExactlyInAnyOrder(sops.get(1), never);
                for (Dataset f : failed) {
                    int reason = f.getInt(Tag.FailureReason, 0);
                    assertThat(reason).isEqualTo(f.getString(Tag.ReferencedSOPInstanceUID).equals(never) ? 0x0112 : 0x0110);
                }
                assertThat(eventTypes).containsExactly(1, 2);

                // C-GET of the series delivers the two intact copies only.
                List<String> got = new ArrayList<>();
                r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES")
                        .setString(Tag.StudyInstanceUID, VR.UI, study).setString(Tag.SeriesInstanceUID, VR.UI, series), (rq, data) -> {
                    data.readAllBytes();
                    got.add(rq.sopInstanceUid());
                    return Status.SUCCESS;
                }, null);
                assertThat(got).containsExactlyInAnyOrder(sops.get(0), sops.get(2));
            }
        }
    }

    /**
     * The default policy: a requestor that waits on its association gets the report there (PS3.4
     * J.3.3), with the instance it never sent listed as failed (0112); nothing goes to its address.
     * One that releases at once gets it on a new association instead.
     */
    @Test
    void theReportComesOnTheRequestorsAssociationWhileItIsOpenElseOnANewOne() throws Exception {
        BlockingQueue<Dataset> onNewAssociation = new LinkedBlockingQueue<>();
        ServiceRegistry requestorSide = ServiceRegistry.builder()
                .nEventReport(UID.StorageCommitmentPushModel, (rq, type, info) -> {
                    onNewAssociation.add(info);
                    return null;
                }).build();
        try (AssociationListener modality = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(requestorSide, "MODALITY").build(), requestorSide, 4, null)) {
            String study = Instances.uid();
            String series = Instances.uid();
            List<String> sops = List.of(Instances.uid(), Instances.uid());
            String never = Instances.uid();
            ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                    .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                    .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian);
            try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(),
                    List.of("modality=MODALITY@127.0.0.1:" + modality.port()))) {
                try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                    for (String sop : sops) {
                        assertThat(c.store(Instances.source(Instances.image(study, series, sop, 4096)), null, -1).status()).isEqualTo(Status.SUCCESS);
                    }
                    List<String> asked = new ArrayList<>(sops);
                    asked.add(never);
                    assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, request("2.25.10", asked))
                            .status()).isEqualTo(Status.SUCCESS);
                    List<Integer> eventTypes = new ArrayList<>();
                    List<Dataset> reports = new ArrayList<>();
                    c.receiveEventReport((rq, type, info) -> {
                        assertThat(rq.sopInstanceUid()).isEqualTo(UID.StorageCommitmentPushModelInstance);
                        eventTypes.add(type);
                        reports.add(info);
                        return null;
                    });
                    assertThat(eventTypes).containsExactly(2);
                    Dataset report = reports.getFirst();
                    assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.10");
                    assertThat(uids(report.getSequence(Tag.ReferencedSOPSequence))).containsExactlyInAnyOrderElementsOf(sops);
                    Sequence failed = report.getSequence(Tag.FailedSOPSequence);
                    assertThat(uids(failed)).containsExactly(never);
                    assertThat(failed.get(0).getInt(Tag.FailureReason, 0)).isEqualTo(0x0112);
                    assertThat(failed.get(0).getString(Tag.ReferencedSOPClassUID)).isEqualTo(UID.SecondaryCaptureImageStorage);
                }

                // Released right after the N-ACTION response: the report goes to the configured address.
                try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
                    assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, request("2.25.11", sops))
                            .status()).isEqualTo(Status.SUCCESS);
                }
                Dataset report = onNewAssociation.poll(20, TimeUnit.SECONDS);
                assertThat(report).isNotNull();
                assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.11");
                assertThat(uids(report.getSequence(Tag.ReferencedSOPSequence))).containsExactlyInAnyOrderElementsOf(sops);
            }
            // The node has closed, so its reports are finished: the first one never went to the address too.
            assertThat(onNewAssociation).isEmpty();
        }
    }

    @Test
    void aRequestorWithoutAnAddressIsRefused() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("STRANGER")
                     .calledAeTitle("STEADFAST").propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian))) {
            DimseResponse r = c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    request("2.25.3", List.of(Instances.uid())));
            assertThat(r.status()).isEqualTo(Status.PROCESSING_FAILURE);
            assertThat(r.errorComment()).contains("remote-aes");
        }
        assertThat(Peers.freePort()).isPositive();
    }

    private static Dataset request(String transaction, List<String> sops) {
        Dataset d = new Dataset().setString(Tag.TransactionUID, VR.UI, transaction);
        Sequence s = d.newSequence(Tag.ReferencedSOPSequence);
        for (String sop : sops) {
            s.addItem().setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                    .setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        }
        return d;
    }

    private static List<String> uids(Sequence s) {
        List<String> out = new ArrayList<>();
        for (Dataset d : s) {
            out.add(d.getString(Tag.ReferencedSOPInstanceUID));
        }
        return out;
    }
}
