package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc (Debian package) as the peer, driven through its own REST API: as a modality it sends
 * to us (C-STORE) and asks for storage commitment; as a workstation it queries us and retrieves
 * with C-MOVE, which makes us send to it as a move destination. SQLite here, PostgreSQL in the
 * subclass.
 */
class ServeOrthancTest {
    @TempDir
    Path tmp;

    // HTTP/1.1: the default (HTTP/2 with an h2c upgrade offer) is not what Orthanc's civetweb speaks.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The index database; the PostgreSQL subclass overrides it. */
    TestNodes.Db db() {
        return TestNodes.Db.SQLITE;
    }
    private String orthanc;

    @Test
    void orthancStoresCommitsQueriesAndRetrieves() throws Exception {
        String binary = Peers.tool("/usr/sbin/Orthanc");
        List<Corpus.Entry> files = Corpus.wellFormed().stream()
                .filter(e -> e.transferSyntaxUid().equals("1.2.840.10008.1.2.1") && e.sopClass().startsWith("1.2.840.10008.5.1.4.1.1."))
                .filter(ServeOrthancTest::hasUids)
                .limit(3).toList();
        int orthancDicom = Peers.freePort();
        int orthancHttp = Peers.freePort();
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(db(), tmp.resolve("data")),
                Map.of(), List.of("orthanc=ORTHANC@127.0.0.1:" + orthancDicom))) {
            Path storage = Files.createDirectories(tmp.resolve("orthanc"));
            Path cfg = Files.writeString(tmp.resolve("orthanc.json"), """
                    {
                      "Name": "steadfast-serve-test", "DicomAet": "ORTHANC", "DicomPort": %d, "HttpPort": %d,
                      "StorageDirectory": "%s", "IndexDirectory": "%s", "RemoteAccessAllowed": false,
                      "AuthenticationEnabled": false, "Plugins": [],
                      "DicomModalities": { "steadfast": [ "STEADFAST", "127.0.0.1", %d ] }
                    }
                    """.formatted(orthancDicom, orthancHttp, storage, storage, node.dicomPort()));
            Process p = Peers.start(List.of(binary, cfg.toString()), tmp.resolve("orthanc.log"));
            try {
                Peers.awaitPort(orthancHttp, p, 30_000);
                Peers.awaitPort(orthancDicom, p, 30_000);
                orthanc = "http://127.0.0.1:" + orthancHttp;
                awaitRestApi(p);
                List<String> ids = new ArrayList<>();
                for (Corpus.Entry e : files) {
                    ids.add(field(post("/instances", Files.readAllBytes(e.path())), "ID"));
                }
                // Orthanc as a modality: C-STORE to us, through its REST API.
                String stored = post("/modalities/steadfast/store", ("{\"Resources\": " + json(ids) + ", \"Synchronous\": true}").getBytes());
                assertThat(stored).contains("\"FailedInstancesCount\" : 0");
                List<String[]> refs = new ArrayList<>();
                for (String id : ids) {
                    String tags = get("/instances/" + id + "/simplified-tags");
                    String sop = field(tags, "SOPInstanceUID");
                    refs.add(new String[] {field(tags, "SOPClassUID"), sop});
                    StoredInstance ours = node.index().read(tx -> tx.instances().find(sop)).orElseThrow();
                    // DCMTK inside Orthanc re-encodes on the way (the dcmtk oracle test proves bit-for-bit storage);
                    // here the content must agree with Orthanc's own copy.
                    Path theirs = Files.write(tmp.resolve(id + ".dcm"), getBytes("/instances/" + id + "/file"));
                    var a = dev.steadfast.dicom.io.DicomReader.readFile(theirs).dataset();
                    var b = dev.steadfast.dicom.io.DicomReader.readFile(node.storage().pathOf(
                            new dev.steadfast.archive.storage.StorageKey(ours.record().storageKey()))).dataset();
                    for (int tag : new int[] {dev.steadfast.dicom.Tag.PatientID, dev.steadfast.dicom.Tag.StudyInstanceUID,
                            dev.steadfast.dicom.Tag.SeriesInstanceUID, dev.steadfast.dicom.Tag.Rows}) {
                        assertThat(b.getString(tag)).as(dev.steadfast.dicom.Tag.toString(tag)).isEqualTo(a.getString(tag));
                    }
                    assertThat(b.getBytes(dev.steadfast.dicom.Tag.PixelData)).isEqualTo(a.getBytes(dev.steadfast.dicom.Tag.PixelData));
                }

                // Storage commitment requested by Orthanc; the result goes back to it on a new association.
                StringBuilder instances = new StringBuilder("[");
                for (String[] r : refs) {
                    instances.append(instances.length() > 1 ? "," : "").append("[\"").append(r[0]).append("\",\"").append(r[1]).append("\"]");
                }
                String commitment = field(post("/modalities/steadfast/storage-commitment",
                        ("{\"DicomInstances\": " + instances + "], \"Timeout\": 30}").getBytes()), "ID");
                String status = "";
                for (int i = 0; i < 100 && !status.contains("Success") && !status.contains("Failure"); i++) {
                    Thread.sleep(100);
                    status = get("/storage-commitment/" + commitment);
                }
                assertThat(status).contains("\"Status\" : \"Success\"");

                // Orthanc as a workstation: forget the instances, then find and C-MOVE them back from us.
                for (String id : ids) {
                    delete("/instances/" + id);
                }
                String anyStudy = node.index().read(tx -> tx.instances().find(refs.get(0)[1])).orElseThrow().studyUid();
                String query = field(post("/modalities/steadfast/query",
                        ("{\"Level\": \"Study\", \"Query\": {\"StudyInstanceUID\": \"" + anyStudy + "\"}}").getBytes()), "ID");
                assertThat(get("/queries/" + query + "/answers")).contains("0");
                post("/queries/" + query + "/retrieve", "{\"TargetAet\": \"ORTHANC\", \"Synchronous\": true}".getBytes());
                String back = post("/tools/find", "{\"Level\": \"Instance\", \"Query\": {}}".getBytes());
                assertThat(back).contains(ids.get(0));
            } finally {
                Peers.stop(p);
            }
        }
    }

    private static boolean hasUids(Corpus.Entry e) {
        try {
            var h = dev.steadfast.dicom.io.DicomReader.readFile(e.path(), dev.steadfast.dicom.io.ReadOptions.headerOnly()).dataset();
            return h.getString(dev.steadfast.dicom.Tag.StudyInstanceUID) != null && h.getString(dev.steadfast.dicom.Tag.SeriesInstanceUID) != null
                    && h.getString(dev.steadfast.dicom.Tag.PatientID) != null;
        } catch (java.io.IOException ex) {
            return false;
        }
    }

    private static String json(List<String> ids) {
        return "[" + String.join(",", ids.stream().map(i -> "\"" + i + "\"").toList()) + "]";
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    /** Ready means the REST API answers GET /system, not only that the port is open. */
    private void awaitRestApi(Process p) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(orthanc + "/system")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Orthanc's REST API did not answer within 30 s (see orthanc.log)");
            }
            Thread.sleep(100);
        }
    }

    /**
     * One retry when Orthanc closed the connection without an answer (a kept-alive connection it had
     * just dropped, seen on a busy machine); every call made here may be repeated safely.
     */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
        try {
            return http.send(request, body);
        } catch (java.io.IOException e) {
            return http.send(request, body);
        }
    }

    private String post(String path, byte[] body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(orthanc + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private String get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(orthanc + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private byte[] getBytes(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(orthanc + path)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private void delete(String path) throws Exception {
        send(HttpRequest.newBuilder(URI.create(orthanc + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
