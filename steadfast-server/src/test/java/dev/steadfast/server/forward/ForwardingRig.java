package dev.steadfast.server.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** What issue 17's forwarding tests share: nodes started from a YAML file, dcmtk's storescu, /api and /metrics. */
final class ForwardingRig {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ForwardingRig() {
    }

    /** A node as serve starts it, with {@code yaml} as its configuration file. */
    static ArchiveNode node(Path dir, String yaml, Map<String, String> flags, List<String> remoteAes) throws IOException {
        return node(TestNodes.Db.SQLITE, dir, yaml, flags, remoteAes);
    }

    static ArchiveNode node(TestNodes.Db db, Path dir, String yaml, Map<String, String> flags, List<String> remoteAes)
            throws IOException {
        Files.createDirectories(dir);
        Path file = yaml == null ? null : Files.writeString(dir.resolve("steadfast.yaml"), yaml);
        return ArchiveNode.start(TestNodes.config(file, dir.resolve("data"), TestNodes.indexUrl(db, dir.resolve("data")),
                flags, remoteAes));
    }

    /** Explicit VR little endian storage objects with distinct SOP Instance UIDs. */
    static List<Path> instances(int n) {
        List<Path> out = new ArrayList<>();
        Set<String> sops = new HashSet<>();
        for (Corpus.Entry e : Corpus.wellFormed()) {
            if (out.size() == n) {
                break;
            }
            if (!e.transferSyntaxUid().equals("1.2.840.10008.1.2.1") || !e.sopClass().startsWith("1.2.840.10008.5.1.4.1.1.")) {
                continue;
            }
            try {
                var h = DicomReader.readFile(e.path(), ReadOptions.headerOnly()).dataset();
                String sop = h.getString(Tag.SOPInstanceUID);
                if (h.getString(Tag.StudyInstanceUID) != null && h.getString(Tag.SeriesInstanceUID) != null && sop != null
                        && sops.add(sop)) {
                    out.add(e.path());
                }
            } catch (IOException ex) {
                // not a candidate
            }
        }
        assertThat(out).as("corpus files").hasSize(n);
        return out;
    }

    /** dcmtk's storescu sends the files in this order over one association, as {@code callingAe} (with its {@code options}). */
    static void storescu(ArchiveNode node, String callingAe, List<Path> files, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("storescu"), "-aec", node.config().dicom().aeTitle(),
                "-aet", callingAe));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(node.dicomPort())));
        files.forEach(f -> cmd.add(f.toString()));
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** SOP Instance UID -> SHA-256 of the data set bytes as received, in arrival order. */
    static Map<String, String> inventory(ArchiveNode node) {
        return node.index().read(tx -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT sop_uid, dataset_sha256 FROM instance ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    static String sopOf(Path file) throws IOException {
        return DicomReader.readFile(file, ReadOptions.headerOnly()).dataset().getString(Tag.SOPInstanceUID);
    }

    static String studyOf(Path file) throws IOException {
        return DicomReader.readFile(file, ReadOptions.headerOnly()).dataset().getString(Tag.StudyInstanceUID);
    }

    static HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(ArchiveNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> delete(ArchiveNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A number field of /api/forwarding/{destination}. */
    static long queue(ArchiveNode node, String destination, String field) throws Exception {
        String body = get(node, "/api/forwarding/" + destination).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":([0-9.]+)").matcher(body);
        assertThat(m.find()).as(field + " in " + body).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    /** Waits for a condition the system must reach (a liveness bound, generous; never a pass/fail timing). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    interface Check {
        boolean test() throws Exception;
    }

    static BooleanSupplier unchecked(Check c) {
        return () -> {
            try {
                return c.test();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
    }
}
