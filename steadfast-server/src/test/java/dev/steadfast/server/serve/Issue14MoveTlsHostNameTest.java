package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.testing.TlsKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, outgoing TLS: a C-MOVE destination's certificate must name the host configured for it
 * under {@code remote-aes}. Two dcmtk storescp destinations in TLS mode present certificates that
 * the archive's trust store both trusts: one for {@code localhost} (where both run), one for
 * {@code elsewhere.example}. Before, both were accepted; now the second is refused in the
 * handshake, its sub-operation failed (A702 with the failed UID) and nothing is sent to it.
 */
class Issue14MoveTlsHostNameTest {
    @TempDir
    Path tmp;

    private final List<Process> peers = new ArrayList<>();

    @AfterEach
    void stopPeers() {
        peers.forEach(Peers::stop);
    }

    @Test
    void aDestinationWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        TlsKeys tls = new TlsKeys(tmp.resolve("keys")).archive("-keyalg", "EC", "-groupname", "secp256r1")
                .peer("localhost", "localhost").trust("localhost").peer("elsewhere.example", "elsewhere.example").trust("elsewhere.example");
        Path keys = tls.dir;
        int rightPort = Peers.freePort();
        Path right = storescp("RIGHT", rightPort, keys, "localhost");
        int wrongPort = Peers.freePort();
        Path wrong = storescp("WRONG", wrongPort, keys, "elsewhere.example");

        Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), """
                remote-aes:
                  right: {ae-title: RIGHT, host: localhost, port: %d, tls: true}
                  wrong: {ae-title: WRONG, host: localhost, port: %d, tls: true}
                """.formatted(rightPort, wrongPort));
        Map<String, String> flags = tls.nodeFlags(tmp.resolve("data"));

        try (ArchiveNode node = ArchiveNode.start(ConfigLoader.load(yaml, Map.of(), flags, List.of()))) {
            String study = Instances.uid();
            String series = Instances.uid();
            String sop = Instances.uid();
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MODALITY")
                    .calledAeTitle("STEADFAST").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian))) {
                assertThat(c.store(Instances.source(Instances.image(study, series, sop, 256)), null, -1).status()).isEqualTo(Status.SUCCESS);
            }
            Dataset keysToMove = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE").setString(Tag.StudyInstanceUID, VR.UI, study)
                    .setString(Tag.SeriesInstanceUID, VR.UI, series).setString(Tag.SOPInstanceUID, VR.UI, sop);
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOVESCU")
                    .calledAeTitle("STEADFAST").propose(UID.StudyRootQueryRetrieveInformationModelMove, UID.ImplicitVRLittleEndian))) {
                DimseResponse ok = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "RIGHT", keysToMove, null);
                assertThat(ok.status()).as(String.valueOf(ok.errorComment())).isEqualTo(Status.SUCCESS);
                assertThat(Received.all(right)).extracting(Received::sopInstanceUid).containsExactly(sop);

                DimseResponse refused = c.move(UID.StudyRootQueryRetrieveInformationModelMove, "WRONG", keysToMove, null);
                assertThat(refused.status()).isEqualTo(Status.OUT_OF_RESOURCES_SUB_OPERATIONS);
                assertThat(refused.command().getInt(Tag.NumberOfFailedSuboperations, -1)).isEqualTo(1);
                assertThat(refused.errorComment()).startsWith("WRONG unreachable");
                assertThat(refused.dataset().getStrings(Tag.FailedSOPInstanceUIDList)).containsExactly(sop);
            }
            try (var files = Files.list(wrong)) {
                assertThat(files.toList()).isEmpty();
            }
        }
    }

    private Path storescp(String ae, int port, Path keys, String host) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(ae));
        Process p = Peers.start(List.of(Peers.tool("storescp"), "+tls", keys.resolve(host + ".key").toString(),
                keys.resolve(host + ".crt").toString(), "-pw", "+cf", keys.resolve("archive.crt").toString(), "+B", "+uf", "+xa",
                "-aet", ae, "-od", dir.toString(), String.valueOf(port)), tmp.resolve(ae + ".log"));
        peers.add(p);
        Peers.awaitPort(port, p, 10_000);
        return dir;
    }
}
