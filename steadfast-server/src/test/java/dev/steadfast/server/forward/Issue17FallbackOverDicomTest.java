package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.studyOf;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: fallback retrieve from a peer that is a plain DICOM archive (Orthanc from Debian, no
 * DICOMweb), configured as {@code sites.fallback-dicom}. A WADO-RS request at the edge for a study
 * only Orthanc holds is answered: the edge C-MOVEs it here, keeps the copies (the same pixels) and
 * serves them; a dcmtk movescu at the edge for another such study delivers it to a storescp; with
 * Orthanc stopped, a study neither holds is a clear 504 naming the peer, not a hang.
 */
class Issue17FallbackOverDicomTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aStudyOnlyOrthancHoldsIsMovedHereAndServed() throws Exception {
        String binary = Peers.tool("/usr/sbin/Orthanc");
        // Two studies: the first corpus instance's, and one of another study.
        List<Path> all = ForwardingRig.instances(8);
        Path first = all.getFirst();
        Path second = null;
        for (Path p : all) {
            if (!studyOf(p).equals(studyOf(first))) {
                second = p;
                break;
            }
        }
        assertThat(second).as("a corpus instance of a second study").isNotNull();
        int orthancDicom = Peers.freePort();
        int orthancHttp = Peers.freePort();
        int scpPort = Peers.freePort();
        Path received = Files.createDirectories(tmp.resolve("received"));
        Process scp = Peers.start(List.of(Peers.tool("storescp"), "-aet", "WS", "-od", received.toString(), String.valueOf(scpPort)),
                tmp.resolve("storescp.log"));
        try (ArchiveNode edge = ForwardingRig.node(tmp.resolve("edge"), null, Map.of("dicom.ae-title", "EDGE",
                "sites.fallback-dicom", "central", "sites.peer.timeout-seconds", "10"),
                List.of("central=ORTHANC@127.0.0.1:" + orthancDicom, "ws=WS@127.0.0.1:" + scpPort))) {
            Path storage = Files.createDirectories(tmp.resolve("orthanc"));
            Path cfg = Files.writeString(tmp.resolve("orthanc.json"), """
                    {
                      "Name": "steadfast-fallback-test", "DicomAet": "ORTHANC", "DicomPort": %d, "HttpPort": %d,
                      "StorageDirectory": "%s", "IndexDirectory": "%s", "RemoteAccessAllowed": false,
                      "AuthenticationEnabled": false, "Plugins": [],
                      "DicomModalities": { "edge": [ "EDGE", "127.0.0.1", %d ] }
                    }
                    """.formatted(orthancDicom, orthancHttp, storage, storage, edge.dicomPort()));
            Process orthanc = Peers.start(List.of(binary, cfg.toString()), tmp.resolve("orthanc.log"));
            try {
                Peers.awaitPort(orthancDicom, orthanc, 30_000);
                Peers.awaitPort(orthancHttp, orthanc, 30_000);
                List<String> send = new ArrayList<>(List.of(Peers.tool("storescu"), "-aec", "ORTHANC", "-aet", "MODALITY",
                        "127.0.0.1", String.valueOf(orthancDicom), first.toString(), second.toString()));
                Peers.Result sent = Peers.run(send, 120);
                assertThat(sent.exitCode()).as(sent.output()).isZero();

                // WADO-RS at the edge: moved here from Orthanc, kept, served.
                String study = studyOf(first);
                HttpResponse<byte[]> wado = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort()
                        + "/dicom-web/studies/" + study))
                        .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(wado.statusCode()).as(new String(wado.body())).isEqualTo(200);
                String sop = sopOf(first);
                var kept = edge.index().read(tx -> tx.instances().find(sop)).orElseThrow();
                var copy = DicomReader.readFile(edge.storage().pathOf(new dev.steadfast.archive.storage.StorageKey(
                        kept.record().storageKey()))).dataset();
                assertThat(copy.getBytes(Tag.PixelData)).isEqualTo(DicomReader.readFile(first).dataset().getBytes(Tag.PixelData));

                // dcmtk movescu at the edge for the other study: moved from Orthanc, then on to the workstation.
                String other = studyOf(second);
                boolean heldBefore = !edge.index().read(tx -> tx.instances().ofStudy(other)).isEmpty();
                assertThat(heldBefore).as("the edge does not hold the other study").isFalse();
                Peers.Result move = Peers.run(List.of(Peers.tool("movescu"), "-v", "-S", "-aet", "WS", "-aec", "EDGE", "-aem", "WS",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + other,
                        "127.0.0.1", String.valueOf(edge.dicomPort())), 120);
                assertThat(move.exitCode()).as(move.output()).isZero();
                assertThat(move.output()).contains("Received Final Move Response (Success)");
                String otherSop = sopOf(second);
                await("storescp wrote the moved instance", unchecked(() -> {
                    try (Stream<Path> s = Files.list(received)) {
                        return s.anyMatch(f -> {
                            try {
                                return DicomReader.readFile(f).dataset().getString(Tag.SOPInstanceUID).equals(otherSop);
                            } catch (java.io.IOException e) {
                                return false; // still being written
                            }
                        });
                    }
                }));
                boolean keptOther = edge.index().read(tx -> tx.instances().find(otherSop)).isPresent();
                assertThat(keptOther).as("kept at the edge").isTrue();
            } finally {
                Peers.stop(orthanc);
            }

            // Orthanc gone: a study neither holds is a clear error naming the peer.
            HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort()
                    + "/dicom-web/studies/2.25.1717171717")).header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gone.statusCode()).isEqualTo(504);
            assertThat(gone.body()).contains("ORTHANC");
        } finally {
            Peers.stop(scp);
        }
    }
}
