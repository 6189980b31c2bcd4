package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.inventory;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "site lost": site A (a {@code steadfast serve} process) replicates everything to site B
 * by a forward rule (steadfast destination, ordered). A modality keeps sending to A; A is killed
 * (SIGKILL) while it does and its data directory deleted. What A acknowledged before the oldest
 * entry still waiting in its queue (the replication lag, steadfast_forward_oldest_age_seconds, read
 * from A just before the loss) is read from B by WADO-RS with the SHA-256 of the data set sent; and
 * since the queue keeps arrival order, what B holds is exactly the first acknowledged instances:
 * the loss is only the newest ones, never a gap.
 */
class Issue17SiteLostTest {
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+); DICOMweb at http://[^:]+:(\\d+)/");
    private static final Pattern OLDEST = Pattern.compile("steadfast_forward_oldest_age_seconds\\{destination=\"site-b\"} ([0-9.]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private record Acknowledged(Path file, long atMillis) {
    }

    @Test
    void whatALongerThanTheLagAgoAcknowledgedIsReadFromB() throws Exception {
        List<Path> files = ForwardingRig.instances(30);
        try (ArchiveNode b = ForwardingRig.node(tmp.resolve("b"), null, Map.of("dicom.ae-title", "SITEB"), List.of())) {
            Path aDir = Files.createDirectories(tmp.resolve("a"));
            Path yaml = Files.writeString(aDir.resolve("steadfast.yaml"), """
                    forwarding:
                      retry-initial-ms: 100
                      poll-ms: 100
                      destinations:
                        site-b:
                          type: steadfast
                          url: http://127.0.0.1:%d
                      rules:
                        - destination: site-b
                    """.formatted(b.httpPort()));
            Path log = aDir.resolve("serve.log");
            Process a = fork(aDir.resolve("data"), yaml, log);
            try {
                int[] ports = awaitListening(a, log);
                List<Acknowledged> acked = new CopyOnWriteArrayList<>();
                AtomicBoolean stop = new AtomicBoolean();
                Thread modality = Thread.ofPlatform().start(() -> {
                    for (Path f : files) {
                        if (stop.get()) {
                            return;
                        }
                        try {
                            Peers.Result r = Peers.run(List.of(Peers.tool("storescu"), "-aec", "SITEA", "-aet", "MODALITY",
                                    "127.0.0.1", String.valueOf(ports[0]), f.toString()), 30);
                            if (r.exitCode() != 0) {
                                return; // A is gone: this one was not acknowledged
                            }
                            acked.add(new Acknowledged(f, System.currentTimeMillis()));
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                });
                // Sustained ingest, replication under way: then A is lost.
                await("replication is under way", unchecked(() -> inventory(b).size() >= 8));
                long observedAt = System.currentTimeMillis();
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1] + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = OLDEST.matcher(metrics);
                assertThat(m.find()).as(metrics).isTrue();
                long lagMillis = (long) (Double.parseDouble(m.group(1)) * 1000);
                // What A acknowledged longer than the lag ago, with the data set SHA-256 A recorded when it did.
                long before = observedAt - lagMillis;
                List<Acknowledged> old = acked.stream().filter(x -> x.atMillis() < before).toList();
                Map<Path, String> recordedAtA = new java.util.HashMap<>();
                for (Acknowledged x : old) {
                    recordedAtA.put(x.file(), recordedSha(ports[1], x.file()));
                }
                a.destroyForcibly().waitFor(); // kill -9
                stop.set(true);
                modality.join();
                deleteTree(aDir.resolve("data"));

                List<String> ackedSops = new ArrayList<>();
                for (Acknowledged x : acked) {
                    ackedSops.add(sopOf(x.file()));
                }
                // Arrival order kept: B holds the first acknowledged instances, no gap.
                List<String> atB = new ArrayList<>(inventory(b).keySet());
                // (At most one more: a store A indexed and forwarded but was killed before answering.)
                int common = Math.min(atB.size(), ackedSops.size());
                assertThat(atB.subList(0, common)).isEqualTo(ackedSops.subList(0, common));
                assertThat(atB.size()).isLessThanOrEqualTo(ackedSops.size() + 1);
                // Everything acknowledged before the lag read just before the loss is at B and reads back as A stored it.
                assertThat(old).isNotEmpty();
                for (Acknowledged x : old) {
                    assertThat(datasetSha256(wado(b, x.file()))).as(x.file().toString()).isEqualTo(recordedAtA.get(x.file()));
                }
            } finally {
                a.destroyForcibly().waitFor();
            }
        }
    }

    /** The data set SHA-256 A's /api/inventory lists for the file's instance. */
    private static String recordedSha(int aHttpPort, Path file) throws Exception {
        var h = DicomReader.readFile(file, ReadOptions.headerOnly()).dataset();
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + aHttpPort + "/api/inventory/studies/"
                + h.getString(Tag.StudyInstanceUID) + "/series/" + h.getString(Tag.SeriesInstanceUID) + "/instances")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"sopInstanceUID\":\"" + Pattern.quote(h.getString(Tag.SOPInstanceUID))
                + "\",\"sha256\":\"[0-9a-f]+\",\"datasetSha256\":\"([0-9a-f]+)\"").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    /** The Part 10 object B returns for the file's instance (WADO-RS, one part). */
    private static byte[] wado(ArchiveNode b, Path file) throws Exception {
        var h = DicomReader.readFile(file, ReadOptions.headerOnly()).dataset();
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + "/dicom-web/studies/"
                        + h.getString(Tag.StudyInstanceUID) + "/series/" + h.getString(Tag.SeriesInstanceUID) + "/instances/"
                        + h.getString(Tag.SOPInstanceUID)))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        Matcher bm = Pattern.compile("boundary=\"?([^\";]+)").matcher(type);
        assertThat(bm.find()).as(type).isTrue();
        byte[] body = r.body();
        int start = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0) + 4;
        int end = indexOf(body, ("\r\n--" + bm.group(1)).getBytes(StandardCharsets.ISO_8859_1), start);
        return Arrays.copyOfRange(body, start, end);
    }

    /** SHA-256 of a Part 10 object's data set: the bytes after its File Meta Information group. */
    private static String datasetSha256(byte[] part10) throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(part10).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(part10, 128, 4, StandardCharsets.US_ASCII)).isEqualTo("DICM");
        assertThat(buf.getInt(132)).as("(0002,0000) first").isEqualTo(0x00000002);
        int start = 132 + 12 + buf.getInt(140);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(part10, start, part10.length - start);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** {@code steadfast serve} in its own JVM (so it can be killed with SIGKILL), SQLite index in {@code data}. */
    static Process fork(Path data, Path yaml, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.steadfast.server.Main", "serve", "--config", yaml.toString(), "--data", data.toString(),
                "--dicom-port", "0", "--http-port", "0", "--db", "jdbc:sqlite:" + data.resolve("index.db").toAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STEADFAST_DICOM_BIND", "127.0.0.1");
        pb.environment().put("STEADFAST_DICOM_AE_TITLE", "SITEA");
        Files.createDirectories(data);
        return pb.start();
    }

    /** The DICOM and HTTP ports serve says it listens on (it binds port 0 itself). */
    static int[] awaitListening(Process server, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
            if (!server.isAlive()) {
                throw new AssertionError("serve exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve did not say it listens within 60 s:\n" + Files.readString(log));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThat(root).doesNotExist();
    }
}
