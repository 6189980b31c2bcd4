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
import dev.steadfast.testing.TcpProxy;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: an edge with {@code sites.commitment: upstream} (forwarding everything to central) does
 * not tell a modality its images are committed while central lacks them: with the link to central
 * cut, the storage commitment report waits (the edge checks and finds central lacking, and sends
 * nothing); once the link is back and the queue has drained, the report comes, on a new
 * association to the modality (its own is gone), with every instance committed, and central holds
 * them. A request for instances central already holds is answered on the modality's open
 * association as with local commitment. The requestor is our own SCU: dcmtk has no storage
 * commitment SCU.
 */
class Issue17CommitmentHeldUpstreamTest {
    private static final Pattern LACKING = Pattern.compile("steadfast_commitment_upstream_lacking_total (\\d+)");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private long lacking(ArchiveNode node) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = LACKING.matcher(body);
        assertThat(m.find()).as("the upstream commitment metric").isTrue();
        return Long.parseLong(m.group(1));
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

    private static boolean holds(ArchiveNode node, String sop) {
        return node.index().read(tx -> tx.instances().find(sop)).isPresent();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theReportWaitsUntilCentralHoldsTheInstances() throws Exception {
        BlockingQueue<Dataset> reports = new LinkedBlockingQueue<>();
        List<Integer> eventTypes = new ArrayList<>();
        ServiceRegistry requestorSide = ServiceRegistry.builder()
                .nEventReport(UID.StorageCommitmentPushModel, (rq, type, info) -> {
                    eventTypes.add(type);
                    reports.add(info);
                    return null;
                }).build();
        Path centralDir = tmp.resolve("central");
        Path edgeDir = Files.createDirectories(tmp.resolve("edge"));
        try (AssociationListener modality = DimseServer.start(InetAddress.getLoopbackAddress(), 0, AssociationConfig.DEFAULTS,
                DimseServer.policyFor(requestorSide, "MODALITY").build(), requestorSide, 4, null);
             ArchiveNode central = TestNodes.start(centralDir, TestNodes.indexUrl(TestNodes.Db.SQLITE, centralDir), Map.of(), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", central.httpPort())) {
            Path yaml = Files.writeString(edgeDir.resolve("steadfast.yaml"), """
                    forwarding:
                      retry-initial-ms: 100
                      retry-max-seconds: 1
                      poll-ms: 100
                      destinations:
                        central:
                          type: steadfast
                          url: http://127.0.0.1:%d
                      rules:
                        - destination: central
                    """.formatted(link.port()));
            link.cut();
            try (ArchiveNode edge = ArchiveNode.start(TestNodes.config(yaml, edgeDir.resolve("data"),
                    TestNodes.indexUrl(TestNodes.Db.SQLITE, edgeDir.resolve("data")),
                    Map.of("sites.peer.url", "http://127.0.0.1:" + link.port(), "sites.peer.timeout-seconds", "5",
                            "sites.commitment", "upstream", "cluster.heartbeat-seconds", "1"),
                    List.of("modality=MODALITY@127.0.0.1:" + modality.port())))) {
                ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                        .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                        .propose(UID.StorageCommitmentPushModel, UID.ImplicitVRLittleEndian);
                String study = Instances.uid();
                String series = Instances.uid();
                List<String> sops = List.of(Instances.uid(), Instances.uid());
                try (DimseClient c = DimseClient.open("127.0.0.1", edge.dicomPort(), o)) {
                    for (String sop : sops) {
                        assertThat(c.store(Instances.source(Instances.image(study, series, sop, 2048)), null, -1).status())
                                .isEqualTo(Status.SUCCESS); // acknowledged: durable at the edge, central down
                    }
                    assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                            request("2.25.1701", sops)).status()).isEqualTo(Status.SUCCESS);
                } // released: the report can only come on a new association

                while (lacking(edge) < 2) {
                    Thread.sleep(100); // the edge asked central twice and found it lacking (unreachable)
                }
                assertThat(reports).as("no report while central lacks the instances").isEmpty();
                assertThat(holds(central, sops.get(0))).isFalse();

                link.restore(); // the queue drains; the waiting report goes out once central holds both
                Dataset report = reports.take(); // bounded by the test's timeout
                assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.1701");
                assertThat(uids(report.getSequence(Tag.ReferencedSOPSequence))).containsExactlyInAnyOrderElementsOf(sops);
                assertThat(report.getSequence(Tag.FailedSOPSequence)).isNull();
                assertThat(eventTypes).containsExactly(1);
                assertThat(holds(central, sops.get(0)) && holds(central, sops.get(1))).as("central holds both").isTrue();

                // Central holds them already: the report comes on the modality's own association, at once.
                try (DimseClient c = DimseClient.open("127.0.0.1", edge.dicomPort(), o)) {
                    assertThat(c.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                            request("2.25.1702", sops)).status()).isEqualTo(Status.SUCCESS);
                    List<Dataset> onAssociation = new ArrayList<>();
                    c.receiveEventReport((rq, type, info) -> {
                        onAssociation.add(info);
                        return null;
                    });
                    assertThat(onAssociation).hasSize(1);
                    assertThat(onAssociation.getFirst().getString(Tag.TransactionUID)).isEqualTo("2.25.1702");
                    assertThat(uids(onAssociation.getFirst().getSequence(Tag.ReferencedSOPSequence)))
                            .containsExactlyInAnyOrderElementsOf(sops);
                }
                assertThat(reports).as("nothing more on a new association").isEmpty();
            }
        }
    }
}
