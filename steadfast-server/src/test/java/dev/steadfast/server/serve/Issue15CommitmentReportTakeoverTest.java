package dev.steadfast.server.serve;

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
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a storage commitment report to be sent on a new association is a durable cluster job.
 * Node A (a serve process) accepts the request and claims the job, but its requestor does not
 * answer (a socket that never speaks), and A is killed with kill -9 mid-send. Node B, on the same
 * PostgreSQL, finds the claim's heartbeat stale and sends the report to the requestor, now listening.
 */
class Issue15CommitmentReportTakeoverTest {
    @TempDir
    Path tmp;

    @Test
    void aReportClaimedByANodeThatDiesIsSentByAnother() throws Exception {
        String db = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
        Path shared = tmp.resolve("shared-storage");
        String study = Instances.uid();
        String series = Instances.uid();
        List<String> sops = List.of(Instances.uid(), Instances.uid());
        String transaction = "2.25.15" + System.nanoTime();
        int requestorPort;
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            requestorPort = silent.getLocalPort(); // connections queue up, nobody ever answers
            try (ClusterNodes.Forked a = ClusterNodes.fork(tmp.resolve("a"), db, ClusterNodes.options("node-a", shared,
                    Map.of("dicom.commitment-report", "new-association")), "modality=MODALITY@127.0.0.1:" + requestorPort)) {
                ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                        .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                        .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian);
                try (DimseClient c = DimseClient.open("127.0.0.1", a.dicomPort(), o)) {
                    for (String sop : sops) {
                        assertThat(c.store(Instances.source(Instances.image(study, series, sop, 2048)), null, -1).status())
                                .isEqualTo(Status.SUCCESS);
                    }
                    assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                            request(transaction, sops)).status()).isEqualTo(Status.SUCCESS);
                }
                awaitClaimedBy(db, "node-a");
                a.kill(); // mid-send: the claim stays in the table, its heartbeat stops
            }
        }

        BlockingQueue<Dataset> reports = new LinkedBlockingQueue<>();
        ServiceRegistry requestorSide = ServiceRegistry.builder()
                .nEventReport(UID.StorageCommitmentPushModel, (rq, type, info) -> {
                    reports.add(info);
                    return null;
                }).build();
        try (AssociationListener modality = DimseServer.start(InetAddress.getLoopbackAddress(), requestorPort, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(requestorSide, "MODALITY").build(), requestorSide, 4, null);
             ArchiveNode b = ClusterNodes.inProcess(tmp.resolve("b"), db, ClusterNodes.options("node-b", shared, Map.of()), List.of())) {
            Dataset report = reports.poll(60, TimeUnit.SECONDS);
            assertThat(report).as("the report node A claimed, sent by node B").isNotNull();
            assertThat(report.getString(Tag.TransactionUID)).isEqualTo(transaction);
            List<String> committed = new ArrayList<>();
            for (Dataset d : report.getSequence(Tag.ReferencedSOPSequence)) {
                committed.add(d.getString(Tag.ReferencedSOPInstanceUID));
            }
            assertThat(committed).containsExactlyInAnyOrderElementsOf(sops);
            assertThat(report.getSequence(Tag.FailedSOPSequence)).isNull();
        }
    }

    /** Waits until the report job is claimed (picked) by {@code nodeId}. */
    private static void awaitClaimedBy(String db, String nodeId) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT picked, picked_by FROM cluster_job WHERE task_name = 'commitment-report'")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1) && nodeId.equals(rs.getString(2))) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the commitment report job was never claimed by " + nodeId);
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
}
