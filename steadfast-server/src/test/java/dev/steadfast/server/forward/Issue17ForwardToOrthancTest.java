package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.get;
import static dev.steadfast.server.forward.ForwardingRig.queue;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.storescu;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 with Orthanc (Debian package, DICOMweb plugin) as a foreign destination: instances from
 * one modality go to it by C-STORE, from another by STOW-RS, from a third nowhere (the rules match
 * on the calling AE). What Orthanc holds is what we hold. A deletion here is not sent to Orthanc:
 * neither DICOM nor DICOMweb can delete (docs/DEPLOYMENT.md).
 */
class Issue17ForwardToOrthancTest {
    private static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String orthanc;

    @Test
    void orthancReceivesByCStoreAndByStowWhatTheRulesSelect() throws Exception {
        String binary = Peers.tool("/usr/sbin/Orthanc");
        Corpus.requireOrSkip(Files.isRegularFile(PLUGIN), "Orthanc's DICOMweb plugin (apt-get install orthanc-dicomweb)");
        List<Path> files = ForwardingRig.instances(3);
        int orthancDicom = Peers.freePort();
        int orthancHttp = Peers.freePort();
        Path storage = Files.createDirectories(tmp.resolve("orthanc"));
        Path cfg = Files.writeString(tmp.resolve("orthanc.json"), """
                {
                  "Name": "steadfast-forward-test", "DicomAet": "ORTHANC", "DicomPort": %d, "HttpPort": %d,
                  "StorageDirectory": "%s", "IndexDirectory": "%s", "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false, "Plugins": ["%s"],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
                }
                """.formatted(orthancDicom, orthancHttp, storage, storage, PLUGIN));
        Process p = Peers.start(List.of(binary, cfg.toString()), tmp.resolve("orthanc.log"));
        try {
            Peers.awaitPort(orthancHttp, p, 30_000);
            Peers.awaitPort(orthancDicom, p, 30_000);
            orthanc = "http://127.0.0.1:" + orthancHttp;
            await("Orthanc's REST API answers", unchecked(() -> orthanc("/system").statusCode() == 200));
            String yaml = """
                    forwarding:
                      retry-initial-ms: 100
                      poll-ms: 100
                      destinations:
                        orthanc-dimse:
                          type: dicom
                          remote-ae: orthanc
                        orthanc-web:
                          type: dicomweb
                          url: %s/dicom-web
                      rules:
                        - destination: orthanc-dimse
                          calling-ae: "CT_*"
                        - destination: orthanc-web
                          calling-ae: "MR_?"
                          sop-class: "1.2.840.10008.5.1.4.1.1.*"
                    """.formatted(orthanc);
            try (ArchiveNode a = ForwardingRig.node(tmp.resolve("a"), yaml, Map.of("dicom.ae-title", "SITEA",
                    "api.delete-enabled", "true"), List.of("orthanc=ORTHANC@127.0.0.1:" + orthancDicom))) {
                storescu(a, "CT_ROOM1", List.of(files.get(0)));
                storescu(a, "MR_1", List.of(files.get(1)));
                storescu(a, "US_1", List.of(files.get(2))); // no rule: stays here
                await("C-STORE to Orthanc", unchecked(() -> queue(a, "orthanc-dimse", "sent") == 1));
                await("STOW-RS to Orthanc", unchecked(() -> queue(a, "orthanc-web", "sent") == 1));
                for (Path f : files.subList(0, 2)) {
                    String sop = sopOf(f);
                    String found = post("/tools/lookup", sop);
                    assertThat(found).as(sop).contains("\"Type\" : \"Instance\"");
                    String id = found.replaceAll("(?s).*\"ID\" : \"([^\"]+)\".*", "$1");
                    Path theirs = Files.write(tmp.resolve(id + ".dcm"), orthancBytes("/instances/" + id + "/file"));
                    var ours = DicomReader.readFile(a.storage().pathOf(new dev.steadfast.archive.storage.StorageKey(
                            a.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey()))).dataset();
                    var copy = DicomReader.readFile(theirs).dataset();
                    for (int tag : new int[] {Tag.SOPClassUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.PatientID, Tag.Rows}) {
                        assertThat(copy.getString(tag)).as(Tag.toString(tag)).isEqualTo(ours.getString(tag));
                    }
                    assertThat(copy.getBytes(Tag.PixelData)).isEqualTo(ours.getBytes(Tag.PixelData));
                }
                assertThat(post("/tools/lookup", sopOf(files.get(2)))).doesNotContain("Instance");

                // Deleted here: nothing is queued for destinations that cannot delete; Orthanc keeps its copy.
                assertThat(ForwardingRig.delete(a, "/api/studies/" + studyOf(files.get(1)) + "?reason=test").statusCode())
                        .isEqualTo(200);
                assertThat(get(a, "/api/forwarding").body()).doesNotContain("\"kind\":\"delete\"");
                assertThat(queue(a, "orthanc-web", "depth")).isZero();
                assertThat(post("/tools/lookup", sopOf(files.get(1)))).contains("Instance");
            }
        } finally {
            Peers.stop(p);
        }
    }

    private HttpResponse<String> orthanc(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(orthanc + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] orthancBytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(orthanc + path)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private String post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(orthanc + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
