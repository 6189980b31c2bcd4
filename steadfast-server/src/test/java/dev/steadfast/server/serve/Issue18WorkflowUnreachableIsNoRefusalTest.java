package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.dicom.UID;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.NCreateService;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 follow-up (closing note 3): the workflow outbox counted the attempts at a relay target that
 * could not be reached toward {@code workflow.max-attempts}, so after an outage the first refusal made
 * the MPPS a dead letter. Only refusals count now, as in the forwarding queue: with max-attempts 2, an
 * MPPS that met the target down twice is refused twice before it becomes a dead letter.
 */
class Issue18WorkflowUnreachableIsNoRefusalTest {
    private static final String MPPS = UID.ModalityPerformedProcedureStep;

    @TempDir
    Path tmp;

    @Test
    void onlyRefusalsCountTowardTheDeadLetter() throws Exception {
        int risPort;
        try (ServerSocket s = new ServerSocket(0)) {
            risPort = s.getLocalPort(); // closed again: the relay target is down
        }
        String sop = Instances.uid();
        Path data = tmp.resolve("data");
        try (ArchiveNode node = ArchiveNode.start(TestNodes.config(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("workflow.mpps.forward-to", "ris", "workflow.max-attempts", "2"), List.of("ris=RIS@127.0.0.1:" + risPort)));
             DimseClient modality = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("CT18")
                     .calledAeTitle("STEADFAST").propose(MPPS, ClientOptions.UNCOMPRESSED))) {
            assertThat(modality.nCreate(MPPS, sop, Issue18MppsTest.inProgress(Instances.uid(), "ACC-UNR", null, null)).status())
                    .isEqualTo(Status.SUCCESS);
            node.workflow().retryNow(); // the target is down: not reached
            node.workflow().retryNow(); // still down
            assertThat(head(node).attempts()).as("unreachable attempts are no refusals").isZero();
            assertThat(head(node).lastError()).isNotBlank();

            // The target is back and refuses the MPPS (a processing failure).
            NCreateService refusing = (rq, uid, ds) -> {
                throw new DimseException(Status.PROCESSING_FAILURE, "unknown procedure");
            };
            ServiceRegistry r = ServiceRegistry.builder().nCreate(MPPS, refusing).build();
            try (AssociationListener ris = DimseServer.start(InetAddress.getLoopbackAddress(), risPort, AssociationConfig.DEFAULTS,
                    DimseServer.policyFor(r, "RIS").build(), r, 4, null)) {
                node.workflow().retryNow();
                assertThat(state(node).deadLetters()).as("one refusal of two allowed").isZero();
                assertThat(head(node).attempts()).isEqualTo(1);
                assertThat(head(node).lastError()).contains("unknown procedure");
                node.workflow().retryNow();
                assertThat(state(node).deadLetters()).as("the second refusal makes it a dead letter").isEqualTo(1);
                assertThat(state(node).depth()).isZero();
            }
        }
    }

    private static WorkflowOutbox.Entry head(ArchiveNode node) {
        return node.workflow().waiting("mpps:ris").getFirst();
    }

    private static WorkflowOutbox.DestinationState state(ArchiveNode node) {
        return node.workflow().queues().state("mpps:ris");
    }
}
