package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
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
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, found by attack7a: two MPPS relay targets, the first of which accepts the association
 * and then does not answer its N-CREATE (a hung RIS; serve waits the DIMSE response timeout, 5
 * minutes). Before, one thread delivered every workflow destination in turn, so the second relay
 * target (and the availability notices, and the procedure events) got nothing for as long. Now
 * each destination is delivered on its own: the second target gets the MPPS while the first hangs.
 */
class Issue18SlowMppsPeerTest {
    private static final String MPPS = UID.ModalityPerformedProcedureStep;

    @TempDir
    Path tmp;

    private static AssociationListener peer(String aeTitle, NCreateService create) throws Exception {
        ServiceRegistry r = ServiceRegistry.builder().nCreate(MPPS, create).nSet(MPPS, (rq, uid, data) -> null).build();
        return DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(r, aeTitle).build(), r, 4, null);
    }

    @Test
    void aHungRelayTargetDoesNotHoldBackTheOthers() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> ok = new LinkedBlockingQueue<>();
        NCreateService silent = (rq, uid, data) -> {
            hung.countDown();
            try {
                release.await(); // answers only when the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new NCreateService.Created(uid, null);
        };
        NCreateService answering = (rq, uid, data) -> {
            ok.add(uid);
            return new NCreateService.Created(uid, null);
        };
        Path data = tmp.resolve("data");
        try (AssociationListener slow = peer("SLOWRIS", silent); AssociationListener good = peer("GOODRIS", answering)) {
            try (ArchiveNode node = ArchiveNode.start(TestNodes.config(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                    Map.of("workflow.mpps.forward-to", "a-slow,b-good"),
                    List.of("a-slow=SLOWRIS@127.0.0.1:" + slow.port(), "b-good=GOODRIS@127.0.0.1:" + good.port())));
                 DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT18")
                         .calledAeTitle("STEADFAST").propose(MPPS, ClientOptions.UNCOMPRESSED))) {
                try {
                    String study = Instances.uid();
                    Dataset create = Issue18MppsTest.inProgress(study, "ACC-HOL-1", "RP-HOL-1", "SPS-HOL-1");
                    DimseResponse created = c.nCreate(MPPS, null, create);
                    assertThat(created.status()).isEqualTo(Status.SUCCESS);
                    String mpps = created.command().getString(dev.steadfast.dicom.Tag.AffectedSOPInstanceUID);
                    assertThat(hung.await(60, TimeUnit.SECONDS)).as("the relay reached the silent target").isTrue();
                    // A liveness bound, far below the 5-minute response timeout the silent target holds its relay for.
                    assertThat(ok.poll(60, TimeUnit.SECONDS)).as("the other target's relay").isEqualTo(mpps);
                } finally {
                    release.countDown(); // before the node closes: its relay is answered
                }
            }
        }
    }
}
