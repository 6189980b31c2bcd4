package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.testing.ServeProcess;
import dev.steadfast.testing.Haproxy;
import dev.steadfast.testing.Peers;
import dev.steadfast.testing.SharedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: two {@code serve} nodes (processes) on one PostgreSQL index and one shared storage
 * folder behind real HAProxy running the shipped {@code deploy/haproxy.cfg}. storescu and QIDO-RS
 * work through the balancer; a WADO-RS retrieve in flight on a node killed with kill -9 fails for
 * its client (the response breaks off), and the client's retry through HAProxy gets the whole
 * study; a modality that re-sends what failed stores everything through HAProxy while that node is
 * dead, and finds it; the restarted node is taken back.
 */
class Issue15LoadBalancerTest {
    private static final String BIG_STUDY_INSTANCES = "48";

    @TempDir
    Path tmp;

    @Test
    void throughHaproxyAKilledNodeCostsOnlyTheRequestInFlightAndRetriesSucceed() throws Exception {
        String storescu = Peers.tool("storescu");
        Peers.tool("haproxy");
        Map<String, String> env = Map.of(
                "STEADFAST_INDEX_URL", SharedPostgres.freshDatabase(),
                "STEADFAST_INDEX_USER", "postgres",
                "STEADFAST_DICOM_PROXY_PROTOCOL_TRUSTED", Haproxy.BALANCER_ADDRESS + "/32", // deploy/haproxy.cfg: send-proxy-v2
                "STEADFAST_STORAGE_PATH", tmp.resolve("shared-storage").toString());
        List<ServeProcess> nodes = startNodes(env, 2);
        try (Haproxy lb = Haproxy.start(tmp.resolve("haproxy"), nodes.stream()
                .map(n -> new Haproxy.Backend(n.dicomPort(), n.httpPort())).toList())) {
            awaitStatus(lb, "node1", "UP");
            awaitStatus(lb, "node2", "UP");

            // storescu and QIDO-RS through the balancer.
            String small = Instances.uid();
            assertThat(storescu(storescu, lb, write("small", small, 5, 16 * 1024)).exitCode()).isZero();
            assertThat(qidoInstances(lb, small)).isEqualTo(5);
            String big = Instances.uid();
            int bigCount = Integer.parseInt(BIG_STUDY_INSTANCES);
            Peers.Result stored = storescu(storescu, lb, write("big", big, bigCount, 512 * 1024));
            assertThat(stored.exitCode()).as(stored.output()).isZero();

            // A WADO-RS retrieve of the big study, read slowly, so it is in flight on one node: the
            // only session HAProxy counts (every other request closed its connection).
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> inFlight = http.send(wado(lb, big), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(inFlight.statusCode()).isEqualTo(200);
            InputStream body = inFlight.body();
            body.readNBytes(64 * 1024);
            ServeProcess victim = null;
            for (var e : lb.servers("steadfast_web").entrySet()) {
                if (e.getValue().sessions() > 0) {
                    assertThat(victim).as("one session only").isNull();
                    victim = nodes.get(Integer.parseInt(e.getKey().substring(4)) - 1);
                }
            }
            assertThat(victim).as("the node serving the retrieve").isNotNull();
            victim.kill();

            // Its client sees the response break off: an error, or an end without the closing boundary.
            String boundary = boundary(inFlight);
            boolean broken;
            try (body) {
                byte[] rest = body.readAllBytes();
                broken = !new String(rest, StandardCharsets.ISO_8859_1).contains("--" + boundary + "--");
            } catch (IOException e) {
                broken = true;
            }
            assertThat(broken).as("the retrieve in flight on the killed node fails for its client").isTrue();

            // Its retry through HAProxy gets the whole study from the other node.
            HttpResponse<byte[]> retry;
            try (HttpClient again = HttpClient.newHttpClient()) {
                retry = again.send(wado(lb, big), HttpResponse.BodyHandlers.ofByteArray());
            }
            http.close();
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(parts(retry.body(), boundary(retry))).as("instances in the retried retrieve").isEqualTo(bigCount);

            // A modality re-sending what failed: every instance stored through HAProxy while the node is dead.
            String during = Instances.uid();
            List<Path> files = write("during", during, 10, 16 * 1024);
            for (Path f : files) {
                int attempts = 0;
                while (storescu(storescu, lb, List.of(f)).exitCode() != 0) {
                    assertThat(++attempts).as("storescu attempts for " + f).isLessThan(20);
                    Thread.sleep(250);
                }
            }
            assertThat(qidoInstances(lb, during)).isEqualTo(10);

            // The restarted node is checked healthy and taken back.
            victim.restart();
            String victimName = "node" + (nodes.indexOf(victim) + 1);
            awaitStatus(lb, victimName, "UP");
            assertThat(qidoInstances(lb, small)).isEqualTo(5);
        } finally {
            nodes.forEach(ServeProcess::close);
        }
    }

    private List<ServeProcess> startNodes(Map<String, String> env, int n) throws Exception {
        List<ServeProcess> nodes = new ArrayList<>();
        try {
            // The first migrates the schema alone; the others start once it answered.
            nodes.add(ServeProcess.start("node1", tmp.resolve("node1"), env));
            for (int i = 2; i <= n; i++) {
                nodes.add(ServeProcess.start("node" + i, tmp.resolve("node" + i), env));
            }
            return nodes;
        } catch (Exception e) {
            nodes.forEach(ServeProcess::close);
            throw e;
        }
    }

    private List<Path> write(String name, String study, int count, int pixelBytes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("files-" + name));
        String series = Instances.uid();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve(i + ".dcm");
            try (OutputStream out = Files.newOutputStream(f)) {
                DicomWriter.writeFile(out, Instances.image(study, series, Instances.uid(), pixelBytes), UID.ExplicitVRLittleEndian);
            }
            files.add(f);
        }
        return files;
    }

    private static Peers.Result storescu(String storescu, Haproxy lb, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(storescu, "-aec", "STEADFAST", "-to", "10", "127.0.0.1",
                String.valueOf(lb.dicomPort())));
        files.forEach(f -> cmd.add(f.toString()));
        return Peers.run(cmd, 120);
    }

    private static HttpRequest wado(Haproxy lb, String study) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.httpPort() + "/dicom-web/studies/" + study))
                .header("Accept", "multipart/related; type=\"application/dicom\"").build();
    }

    /** Instances QIDO-RS finds in {@code study} through the balancer. */
    private static int qidoInstances(Haproxy lb, String study) throws Exception {
        HttpResponse<String> r;
        try (HttpClient http = HttpClient.newHttpClient()) { // closed: no idle connection left counted as a session
            r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.httpPort()
                + "/dicom-web/studies/" + study + "/instances")).header("Accept", "application/dicom+json").build(),
                HttpResponse.BodyHandlers.ofString());
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().split("\"00080018\"", -1).length - 1; // one SOP Instance UID per instance
    }

    private static String boundary(HttpResponse<?> r) {
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        String b = type.replaceAll("(?i).*boundary=\"?([^\";]+)\"?.*", "$1");
        assertThat(b).as(type).isNotEqualTo(type);
        return b;
    }

    private static int parts(byte[] body, String boundary) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(s).contains("--" + boundary + "--");
        return s.split("--" + java.util.regex.Pattern.quote(boundary) + "\r\n", -1).length - 1;
    }

    private static void awaitStatus(Haproxy lb, String server, String status) throws Exception {
        await(server + " " + status + " in HAProxy", () -> {
            try {
                var s = lb.servers("steadfast_web").get(server);
                var d = lb.servers("steadfast_dicom").get(server);
                return s != null && d != null && s.status().equals(status) && d.status().equals(status);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Polls {@code condition}; the 120 s bound is a guard against a hang, not a measurement. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within 120 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
