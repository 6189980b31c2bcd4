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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 changed how C-GET/C-MOVE read stored bytes: a sub-operation sends the very bytes its
 * check read (through the engine's CRC32C path) instead of reading the file twice (objects up to
 * 8 MiB). What a user checks: through serve
 * with two storage targets, every WADO-RS part equals the stored file and every C-GET data set the
 * stored data set, on the first (SHA-256) read and on later (CRC32C) ones, for small objects, one
 * larger than WADO's 4 MiB buffer and one larger than the 8 MiB held by C-GET; a copy damaged
 * after it was verified is passed over for the good replica; with both copies damaged the instance
 * is left out (206 with a Warning naming it; a failed sub-operation) and every other one still
 * arrives whole.
 */
class Issue19RetrieveBytesTest {
    private static final String AS_STORED = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    @TempDir
    Path tmp;

    @Test
    void retrievedBytesEqualTheStoredOnesAndDamagedCopiesAreStillRefused() throws Exception {
        Path data = tmp.resolve("data");
        String study = Instances.uid();
        String series = Instances.uid();
        List<String> sops = new ArrayList<>();
        ClientOptions o = new ClientOptions().callingAeTitle("WS").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian)
                .propose(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
                .scpRole(UID.SecondaryCaptureImageStorage);
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                "storage.targets", "fs:" + tmp.resolve("a") + ",fs:" + tmp.resolve("b"),
                "storage.min-free-mb", "1",
                "storage.repair-interval-seconds", "3600",
                "storage.scrub-interval-hours", "0"), List.of());
             DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            int[] sizes = {64 * 1024, 5 * 1024 * 1024, 9 * 1024 * 1024, 64 * 1024, 64 * 1024, 64 * 1024, 64 * 1024,
                64 * 1024, 64 * 1024, 64 * 1024, 64 * 1024, 64 * 1024, 64 * 1024, 64 * 1024};
            for (int size : sizes) {
                String sop = Instances.uid();
                sops.add(sop);
                assertThat(c.store(Instances.source(Instances.image(study, series, sop, size)), null, -1).status())
                        .isEqualTo(Status.SUCCESS);
            }
            Map<String, byte[]> stored = new LinkedHashMap<>();
            for (String sop : sops) {
                stored.put(sop, Files.readAllBytes(tmp.resolve("b").resolve(key(node, sop))));
            }
            URI uri = URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies/" + study);

            for (String round : List.of("first read (SHA-256)", "verified before (CRC32C)")) {
                Answer w = wado(uri);
                assertThat(w.status).as(round).isEqualTo(200);
                assertSame(round + ", WADO-RS", w.parts, stored);
                assertSame(round + ", C-GET", get(c, study, Status.SUCCESS, List.of()), datasets(stored));
            }

            // One copy damaged after it was verified: C-GET (then WADO-RS, for another instance) finds
            // the CRC32C wrong and falls over to the good replica.
            String bad = sops.get(7);
            damage(tmp.resolve("a").resolve(key(node, bad)));
            assertSame("failover, C-GET", get(c, study, Status.SUCCESS, List.of()), datasets(stored));
            damage(tmp.resolve("a").resolve(key(node, sops.get(8))));
            Answer w = wado(uri);
            assertThat(w.status).as("one copy damaged: the other one is served").isEqualTo(200);
            assertSame("failover, WADO-RS", w.parts, stored);

            damage(tmp.resolve("b").resolve(key(node, bad)));
            Map<String, byte[]> rest = new LinkedHashMap<>(stored);
            rest.remove(bad);
            w = wado(uri);
            assertThat(w.status).as("no good copy left").isEqualTo(206);
            assertThat(w.warnings).anyMatch(x -> x.startsWith("299 ") && x.contains(bad) && x.contains("not sent"));
            assertSame("both copies damaged, WADO-RS", w.parts, rest);
            assertSame("both copies damaged, C-GET", get(c, study, Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES, List.of(bad)),
                    datasets(rest));
        }
    }

    private static void assertSame(String what, Map<String, byte[]> got, Map<String, byte[]> expected) {
        assertThat(got.keySet()).as(what).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertThat(Arrays.equals(got.get(e.getKey()), e.getValue())).as("%s: bytes of %s", what, e.getKey()).isTrue();
        }
    }

    /** C-GET of the study: the data sets received, by SOP Instance UID. */
    private static Map<String, byte[]> get(DimseClient c, String study, Status status, List<String> failed) throws Exception {
        Map<String, byte[]> received = new LinkedHashMap<>();
        Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY").setString(Tag.StudyInstanceUID, VR.UI, study);
        DimseResponse r = c.get(UID.StudyRootQueryRetrieveInformationModelGet, keys, (rq, in) -> {
            received.put(rq.sopInstanceUid(), in.readAllBytes());
            return Status.SUCCESS;
        }, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        if (!failed.isEmpty()) {
            assertThat(r.dataset().getStrings(Tag.FailedSOPInstanceUIDList)).containsExactlyElementsOf(failed);
        }
        return received;
    }

    /** The stored Part 10 objects' data sets: what C-STORE sends (File Meta Information left out). */
    private static Map<String, byte[]> datasets(Map<String, byte[]> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((sop, f) -> {
            int groupLength = (f[140] & 0xFF) | (f[141] & 0xFF) << 8 | (f[142] & 0xFF) << 16 | (f[143] & 0xFF) << 24;
            out.put(sop, Arrays.copyOfRange(f, 144 + groupLength, f.length));
        });
        return out;
    }

    private static String key(ArchiveNode node, String sop) {
        return node.index().read(tx -> tx.instances().find(sop)).orElseThrow().record().storageKey();
    }

    /** Flips a byte of pixel data near the end: the file still parses, only the checksum tells. */
    private static void damage(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 100);
            int b = f.read();
            f.seek(f.length() - 100);
            f.write(b ^ 0x5A);
        }
    }

    record Answer(int status, List<String> warnings, Map<String, byte[]> parts) {}

    /** The answer, its Warning headers, and its parts by the SOP Instance UID their Content-Location ends with. */
    private static Answer wado(URI uri) throws Exception {
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
