package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.web.multipart.MultipartReader;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: WADO-RS of a study in which one stored copy is damaged (one storage target) never sends
 * the damaged object, still sends every good instance of the study, and says what is missing:
 * 206 (Partial Content, PS3.18 Table 10.4.3-1) with a Warning header naming the instance left out.
 * Nothing good left: 500 naming it. Both for a copy damaged before its first read and after a first
 * read had verified it (the default {@code retrieve.verify: first-read}).
 */
class Issue13WadoPartialStudyTest {
    private static final String AS_STORED = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    @TempDir
    Path tmp;

    @Test
    void aDamagedInstanceIsLeftOutTheRestIsSentAndTheClientIsToldWhatIsMissing() throws Exception {
        Path data = tmp.resolve("data");
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            for (boolean readBefore : new boolean[] {true, false}) {
                String study = Instances.uid();
                String series = Instances.uid();
                List<String> sops = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String sop = Instances.uid();
                    sops.add(sop);
                    assertThat(c.store(Instances.source(Instances.image(study, series, sop, 64 * 1024)), null, -1).status())
                            .isEqualTo(Status.SUCCESS);
                }
                URI uri = URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies/" + study);
                if (readBefore) {
                    Answer first = retrieve(uri);
                    assertThat(first.status).isEqualTo(200);
                    assertThat(first.parts).hasSize(4);
                }
                String bad = sops.get(readBefore ? 0 : 2); // first in the answer, and one in the middle
                Path badFile = node.storage().root().resolve(key(node, bad));
                try (RandomAccessFile f = new RandomAccessFile(badFile.toFile(), "rw")) {
                    f.seek(f.length() - 1000);
                    int b = f.read();
                    f.seek(f.length() - 1000);
                    f.write(b ^ 0x10);
                }

                Answer r = retrieve(uri);
                assertThat(r.status).as("read before: %s", readBefore).isEqualTo(206);
                assertThat(r.warnings).as(r.warnings.toString()).anyMatch(w -> w.startsWith("299 ") && w.contains(bad)
                        && w.contains("not sent"));
                assertThat(r.parts.keySet()).as("every good instance, nothing of the damaged one")
                        .containsExactlyElementsOf(sops.stream().filter(s -> !s.equals(bad)).toList());
                for (Map.Entry<String, byte[]> p : r.parts.entrySet()) {
                    assertThat(p.getValue()).as(p.getKey()).isEqualTo(Files.readAllBytes(node.storage().root().resolve(key(node, p.getKey()))));
                }

                Answer single = retrieve(URI.create(uri + "/series/" + series + "/instances/" + bad));
                assertThat(single.status).isEqualTo(500);
                assertThat(single.parts).isEmpty();
                assertThat(single.warnings).anyMatch(w -> w.contains(bad));
            }
        }
    }

    private static String key(ArchiveNode node, String sop) {
        return node.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey();
    }

    record Answer(int status, List<String> warnings, Map<String, byte[]> parts) {}

    /** The answer, its Warning headers, and its parts by the SOP Instance UID their Content-Location ends with. */
    private static Answer retrieve(URI uri) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Accept", AS_STORED).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Map<String, byte[]> parts = new LinkedHashMap<>();
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("multipart/related")) {
            String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(r.body()), boundary);
            for (MultipartReader.Part p = reader.next(); p != null; p = reader.next()) {
                String location = p.header("Content-Location");
                parts.put(location.substring(location.lastIndexOf('/') + 1), p.body().readAllBytes());
            }
        }
        return new Answer(r.statusCode(), r.headers().allValues("Warning"), parts);
    }
}
