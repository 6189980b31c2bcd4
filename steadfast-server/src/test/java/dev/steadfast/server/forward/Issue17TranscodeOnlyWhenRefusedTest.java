package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: an instance is forwarded in the syntax it was received in; only when the destination
 * accepts none of it (dcmtk's storescp takes uncompressed syntaxes only) is it converted, losslessly:
 * an RLE CT arrives uncompressed with the pixels dcmtk's own RLE decoder (dcmdrle) gives, an
 * explicit VR little endian one arrives as it is.
 */
class Issue17TranscodeOnlyWhenRefusedTest {
    @TempDir
    Path tmp;

    @Test
    void onlyWhatTheDestinationRefusesIsConverted() throws Exception {
        Path rle = Corpus.root().resolve("ct/fo-dicom__D_CLUNIE_CT1_RLE_FRAGS.dcm");
        Corpus.requireOrSkip(Files.isRegularFile(rle), "corpus file " + rle);
        Path plain = ForwardingRig.instances(3).stream().filter(p -> {
            try {
                return !sopOf(p).equals(sopOf(rle));
            } catch (java.io.IOException e) {
                return false;
            }
        }).findFirst().orElseThrow();
        Path received = Files.createDirectories(tmp.resolve("received"));
        int port = Peers.freePort();
        Process scp = Peers.start(List.of(Peers.tool("storescp"), "-aet", "STORESCP", "-od", received.toString(),
                String.valueOf(port)), tmp.resolve("storescp.log"));
        try {
            Peers.awaitPort(port, scp, 10_000);
            try (ArchiveNode a = ForwardingRig.node(tmp.resolve("a"), """
                    forwarding:
                      retry-initial-ms: 100
                      poll-ms: 100
                      destinations:
                        workstation:
                          type: dicom
                          remote-ae: ws
                      rules:
                        - destination: workstation
                    """, Map.of("dicom.ae-title", "SITEA"), List.of("ws=STORESCP@127.0.0.1:" + port))) {
                storescu(a, "MODALITY", List.of(rle), "--propose-rle"); // stored as received: RLE
                storescu(a, "MODALITY", List.of(plain));
                await("both forwarded", unchecked(() -> queue(a, "workstation", "sent") == 2));
                String rleSop = sopOf(rle);
                assertThat(a.index().read(tx -> tx.instances().find(rleSop)).orElseThrow().record().transferSyntax())
                        .isEqualTo("1.2.840.10008.1.2.5"); // kept as received; converted only on the way out
            }
            await("storescp wrote both", unchecked(() -> {
                try (Stream<Path> s = Files.list(received)) {
                    return s.count() == 2;
                }
            }));
            Path decoded = tmp.resolve("dcmdrle.dcm");
            Peers.Result d = Peers.run(List.of(Peers.tool("dcmdrle"), rle.toString(), decoded.toString()), 60);
            assertThat(d.exitCode()).as(d.output()).isZero();
            try (Stream<Path> s = Files.list(received)) {
                for (Path f : s.toList()) {
                    var file = DicomReader.readFile(f);
                    String sop = file.dataset().getString(Tag.SOPInstanceUID);
                    String ts = file.meta().transferSyntaxUid();
                    if (sop.equals(sopOf(rle))) {
                        assertThat(ts).isIn("1.2.840.10008.1.2.1", "1.2.840.10008.1.2");
                        assertThat(file.dataset().getBytes(Tag.PixelData))
                                .isEqualTo(DicomReader.readFile(decoded).dataset().getBytes(Tag.PixelData));
                    } else {
                        assertThat(sop).isEqualTo(sopOf(plain));
                        assertThat(ts).isEqualTo("1.2.840.10008.1.2.1"); // as stored: no conversion
                        assertThat(file.dataset().getBytes(Tag.PixelData))
                                .isEqualTo(DicomReader.readFile(plain).dataset().getBytes(Tag.PixelData));
                    }
                }
            }
        } finally {
            Peers.stop(scp);
        }
    }
}
