package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.testing.TlsKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C-MOVE to a destination configured with {@code tls: true}: the sub-operations go over TLS (our
 * key store as client certificate, our trust store for the destination's, whose certificate must
 * name the configured host: see Issue14MoveTlsHostNameTest) even when the C-MOVE
 * came in on the plain port, and dcmtk's storescp in TLS mode receives the stored bytes. A TLS
 * destination whose handshake fails gets every sub-operation counted as failed (A702) at once.
 * Keys and certificates are made at test time with openssl and keytool; none is committed.
 */
class ServeMoveTlsTest {
    @TempDir
    Path tmp;

    private final List<Process> peers = new ArrayList<>();

    @Test
    void moveToATlsDestinationDeliversTheStoredBytesOverTls() throws Exception {
        // The archive's key pair (client certificate towards destinations) and the destinations' own.
        TlsKeys tls = new TlsKeys(tmp.resolve("keys")).archive("-keyalg", "RSA", "-keysize", "2048")
                .peer("trusted", "localhost").peer("untrusted", "localhost").trust("trusted");
        Path keys = tls.dir;

        int tlsDestPort = Peers.freePort();
        Path received = Files.createDirectories(tmp.resolve("received"));
        storescp("TLSDEST", tlsDestPort, received, List.of("+tls", keys.resolve("trusted.key").toString(), keys.resolve("trusted.crt").toString(),
                "-pw", "+cf", keys.resolve("archive.crt").toString(), "-rc"));
        int untrustedPort = Peers.freePort();
        storescp("UNTRUSTED", untrustedPort, Files.createDirectories(tmp.resolve("untrusted")), List.of("+tls",
                keys.resolve("untrusted.key").toString(), keys.resolve("untrusted.crt").toString(), "-pw", "+cf", keys.resolve("archive.crt").toString()));
        int plainPort = Peers.freePort();
        storescp("PLAIN", plainPort, Files.createDirectories(tmp.resolve("plain")), List.of());

        Path yaml = Files.writeString(tmp.resolve("steadfast.yaml"), """
                remote-aes:
                  tlsdest: {ae-title: TLSDEST, host: localhost, port: %d, tls: true}
                  untrusted: {ae-title: UNTRUSTED, host: localhost, port: %d, tls: true}
                  plain: {ae-title: PLAIN, host: 127.0.0.1, port: %d, tls: true}
                """.formatted(tlsDestPort, untrustedPort, plainPort));
        Map<String, String> flags = tls.nodeFlags(tmp.resolve("data"));

        try (ArchiveNode node = ArchiveNode.start(ConfigLoader.load(yaml, Map.of(), flags, List.of()))) {
            Map<String, Sent> sent = storeCorpusSample(node.dicomPort());
            assertThat(sent).hasSizeGreaterThanOrEqualTo(3);

            // movescu asks on the plain port; the destination's tls setting decides how sub-operations go.
            for (String study : sent.values().stream().map(Sent::study).distinct().toList()) {
                Peers.Result r = Peers.run(List.of(Peers.tool("movescu"), "-S", "-aec", "STEADFAST", "-aem", "TLSDEST",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(node.dicomPort())), 120);
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(r.output()).doesNotContain("Failed");
            }
            List<Received> got = Received.all(received);
            assertThat(got).extracting(Received::sopInstanceUid).containsExactlyInAnyOrderElementsOf(sent.keySet());
            for (Received r : got) {
                Sent s = sent.get(r.sopInstanceUid());
                assertThat(r.transferSyntaxUid()).as(r.sopInstanceUid()).isEqualTo(s.transferSyntaxUid());
                assertThat(r.datasetSha256()).as(r.sopInstanceUid()).isEqualTo(s.datasetSha256());
            }

            // An untrusted certificate, or a peer that does not speak TLS: the handshake fails, every
            // sub-operation is failed, A702 with the counts and the failed UIDs, and no hang.
            Sent one = sent.values().iterator().next();
            for (String dest : List.of("UNTRUSTED", "PLAIN")) {
                try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("MOVESCU")
                        .calledAeTitle("STEADFAST").propose(UID.StudyRootQueryRetrieveInformationModelMove, UID.ImplicitVRLittleEndian))) {
                    DimseResponse r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, dest, new Dataset()
                            .setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE").setString(Tag.StudyInstanceUID, VR.UI, one.study())
                            .setString(Tag.SeriesInstanceUID, VR.UI, one.series()).setString(Tag.SOPInstanceUID, VR.UI, one.sopInstanceUid()), null);
                    assertThat(r.status()).as(dest).isEqualTo(Status.OUT_OF_RESOURCES_SUB_OPERATIONS);
                    assertThat(r.command().getInt(Tag.NumberOfFailedSuboperations, -1)).isEqualTo(1);
                    assertThat(r.command().getInt(Tag.NumberOfCompletedSuboperations, -1)).isZero();
                    assertThat(r.errorComment()).startsWith(dest + " unreachable");
                    assertThat(r.dataset().getStrings(Tag.FailedSOPInstanceUIDList)).containsExactly(one.sopInstanceUid());
                }
            }
            try (var files = Files.list(tmp.resolve("untrusted"))) {
                assertThat(files.toList()).isEmpty();
            }
        } finally {
            peers.forEach(Peers::stop);
        }
    }

    private record Sent(String sopInstanceUid, String study, String series, String transferSyntaxUid, String datasetSha256) {
    }

    /** Syntaxes storescp +xa accepts as they are, so what arrives can be compared byte for byte. */
    private static final List<String> KEPT_AS_IS = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian,
            "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5");

    /** A few corpus files of different transfer syntaxes, sent as they are; those the archive refuses are left out. */
    private static Map<String, Sent> storeCorpusSample(int port) throws Exception {
        List<Corpus.Entry> picked = new ArrayList<>();
        List<String> syntaxes = new ArrayList<>();
        List<String> sops = new ArrayList<>(); // several corpus files are one image in different encodings
        for (Corpus.Entry e : Corpus.wellFormed()) {
            if (picked.size() < 4 && Character.isDigit(e.sopClass().charAt(0)) && !syntaxes.contains(e.transferSyntaxUid())
                    && KEPT_AS_IS.contains(e.transferSyntaxUid())
                    && !e.notes().toLowerCase(java.util.Locale.ROOT).contains("meta")) {
                Dataset h = header(e.path());
                if (h != null && h.getString(Tag.StudyInstanceUID) != null && h.getString(Tag.SeriesInstanceUID) != null
                        && h.getString(Tag.SOPInstanceUID) != null && !sops.contains(h.getString(Tag.SOPInstanceUID))) {
                    picked.add(e);
                    syntaxes.add(e.transferSyntaxUid());
                    sops.add(h.getString(Tag.SOPInstanceUID));
                }
            }
        }
        ClientOptions o = new ClientOptions().callingAeTitle("STORESCU").calledAeTitle("STEADFAST");
        for (Corpus.Entry e : picked) {
            StoreSource s = StoreSource.ofFile(e.path());
            o.propose(s.sopClassUid(), s.transferSyntaxUid());
        }
        Map<String, Sent> sent = new LinkedHashMap<>();
        try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
            for (Corpus.Entry e : picked) {
                if (c.store(e.path()).status().isSuccess()) {
                    Received r = Received.of(e.path());
                    Dataset h = header(e.path());
                    sent.put(r.sopInstanceUid(), new Sent(r.sopInstanceUid(), h.getString(Tag.StudyInstanceUID), h.getString(Tag.SeriesInstanceUID),
                            r.transferSyntaxUid(), r.datasetSha256()));
                }
            }
        }
        return sent;
    }

    private static Dataset header(Path file) {
        try {
            return DicomReader.readFile(file, ReadOptions.headerOnly()).dataset();
        } catch (Exception e) {
            return null;
        }
    }

    private void storescp(String ae, int port, Path dir, List<String> tls) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("storescp")));
        cmd.addAll(tls);
        cmd.addAll(Arrays.asList("+B", "+uf", "+xa", "-aet", ae, "-od", dir.toString(), String.valueOf(port)));
        Process p = Peers.start(cmd, tmp.resolve(ae + ".log"));
        peers.add(p);
        Peers.awaitPort(port, p, 10_000);
    }
}
