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
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.ServeProcess;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.TcpProxy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (closing note 3): an edge with {@code sites.commitment: upstream} answered the N-ACTION and
 * only then, on another thread, asked central and queued the wait as a job: a node killed in between
 * lost the request, and the modality never got its report. Now the request is a durable job before the
 * response goes out. Here the edge ({@code serve} in its own JVM) is killed -9 while its question to
 * central hangs on a silent link; restarted with the link back, it reports on a new association.
 */
class Issue17CommitmentSurvivesKillTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anUpstreamHeldRequestSurvivesKillMinus9RightAfterItsResponse() throws Exception {
        BlockingQueue<Dataset> reports = new LinkedBlockingQueue<>();
        ServiceRegistry requestorSide = ServiceRegistry.builder()
                .nEventReport(UID.StorageCommitmentPushModel, (rq, type, info) -> {
                    reports.add(info);
                    return null;
                }).build();
        Path centralDir = tmp.resolve("central");
        try (AssociationListener modality = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(requestorSide, "MODALITY").build(), requestorSide, 4, null);
             ArchiveNode central = TestNodes.start(centralDir, TestNodes.indexUrl(TestNodes.Db.SQLITE, centralDir), Map.of(), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", central.httpPort(), TcpProxy.Mode.SILENT)) {
            link.cut(); // the edge's question to central hangs, unanswered
            try (ServeProcess edge = ServeProcess.start("edge", tmp.resolve("edge"), Map.of(
                    "STEADFAST_SITES_PEER_URL", "http://127.0.0.1:" + link.port(),
                    "STEADFAST_SITES_PEER_TIMEOUT_SECONDS", "5", // the kill comes within milliseconds of the question
                    "STEADFAST_SITES_COMMITMENT", "upstream",
                    "STEADFAST_CLUSTER_HEARTBEAT_SECONDS", "1",
                    "STEADFAST_REMOTE_AES", "modality=MODALITY@127.0.0.1:" + modality.port()))) {
                String sop = Instances.uid();
                StoreSource image = Instances.source(Instances.image(Instances.uid(), Instances.uid(), sop, 1024));
                ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                        .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                        .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian);
                try (DimseClient c = DimseClient.open("127.0.0.1", central.dicomPort(), o)) {
                    assertThat(c.store(image, null, -1).status()).isEqualTo(Status.SUCCESS); // central holds the same bytes
                }
                long asked = link.connections();
                DimseClient c = DimseClient.open("127.0.0.1", edge.dicomPort(), o);
                try {
                    assertThat(c.store(image, null, -1).status()).isEqualTo(Status.SUCCESS);
                    Dataset request = new Dataset().setString(Tag.TransactionUID, VR.UI, "2.25.1717");
                    request.newSequence(Tag.ReferencedSOPSequence).addItem()
                            .setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                            .setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
                    assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, request)
                            .status()).isEqualTo(Status.SUCCESS);
                    while (link.connections() == asked) {
                        Thread.sleep(20); // the edge now waits for central's answer (bounded by the test's timeout)
                    }
                    edge.kill();
                } finally {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // the edge is gone
                    }
                }
                link.restore();
                edge.restart();
                Dataset report = reports.poll(120, TimeUnit.SECONDS);
                assertThat(report).as("the report of a request answered just before kill -9").isNotNull();
                assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.1717");
                Sequence committed = report.getSequence(Tag.ReferencedSOPSequence);
                assertThat(committed).isNotNull();
                assertThat(committed.get(0).getString(Tag.ReferencedSOPInstanceUID)).isEqualTo(sop);
                assertThat(report.getSequence(Tag.FailedSOPSequence)).isNull();
            }
        }
    }
}
