package dev.steadfast.server.forward;

import static dev.steadfast.server.forward.ForwardingRig.await;
import static dev.steadfast.server.forward.ForwardingRig.sopOf;
import static dev.steadfast.server.forward.ForwardingRig.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, found by attack7a: {@code serve} killed (kill -9) while it sends a batch to a DICOM
 * destination, then started again on its data folder. Before, the killed process's claims held the
 * ordered queue until their lease ended (5 minutes by default, an hour here): the restarted node,
 * under a new lease name, sent nothing meanwhile. Now the restarted node takes back what an
 * earlier run of the same node id claimed, and the queue drains at once: every instance arrives.
 */
class Issue17RestartedNodeResumesForwardingTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void aNodeKilledMidBatchSendsItsClaimedEntriesAfterItsRestart() throws Exception {
        List<Path> files = ForwardingRig.instances(3);
        int port = Peers.freePort();
        Path first = Files.createDirectories(tmp.resolve("received-1"));
        Path second = Files.createDirectories(tmp.resolve("received-2"));
        // The destination answers the first C-STORE, then sleeps: the node is killed while it waits with the rest claimed.
        Process scp = Peers.start(List.of(Peers.tool("storescp"), "--sleep-after", "120", "-aet", "DEST", "-od",
                first.toString(), String.valueOf(port)), tmp.resolve("storescp-1.log"));
        Path aDir = Files.createDirectories(tmp.resolve("a"));
        Path yaml = Files.writeString(aDir.resolve("steadfast.yaml"), """
                remote-aes:
                  dest: {ae-title: DEST, host: 127.0.0.1, port: %d}
                forwarding:
                  lease-seconds: 3600
                  poll-ms: 50
                  destinations:
                    dest:
                      type: dicom
                      remote-ae: dest
                  rules:
                    - destination: dest
                """.formatted(port));
        Process a = null;
        try {
            Peers.awaitPort(port, scp, 10_000);
            Path log = aDir.resolve("serve-1.log");
            a = Issue17SiteLostTest.fork(aDir.resolve("data"), yaml, log);
            int[] ports = Issue17SiteLostTest.awaitListening(a, log);
            assertThat(post(ports[1], "/api/forwarding/dest/pause")).isEqualTo(200);
            storescu(ports[0], files);
            assertThat(post(ports[1], "/api/forwarding/dest/resume")).isEqualTo(200);
            await("the first instance reached the destination", unchecked(() -> count(first) == 1));
            a.destroyForcibly().waitFor(); // SIGKILL while its batch (the other two) is claimed and waiting
            Peers.stop(scp);

            scp = Peers.start(List.of(Peers.tool("storescp"), "-aet", "DEST", "-od", second.toString(), String.valueOf(port)),
                    tmp.resolve("storescp-2.log"));
            Peers.awaitPort(port, scp, 10_000);
            Path log2 = aDir.resolve("serve-2.log");
            a = Issue17SiteLostTest.fork(aDir.resolve("data"), yaml, log2);
            int http = Issue17SiteLostTest.awaitListening(a, log2)[1];
            await("the queue drains after the restart", unchecked(() -> depth(http) == 0));
            Set<String> received = new HashSet<>(sops(first));
            received.addAll(sops(second));
            Set<String> sent = new HashSet<>();
            for (Path f : files) {
                sent.add(sopOf(f));
            }
            assertThat(received).as("instances at the destination").isEqualTo(sent);
        } finally {
            if (a != null) {
                a.destroyForcibly().waitFor();
            }
            Peers.stop(scp);
        }
    }

    private static void storescu(int port, List<Path> files) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Peers.tool("storescu"), "-aec", "SITEA", "-aet", "MODALITY",
                "127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static int post(int httpPort, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static long depth(int httpPort) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/forwarding/dest")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"depth\":([0-9]+)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long count(Path dir) throws IOException {
        return files(dir).size();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static List<String> sops(Path dir) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (Path f : files(dir)) {
            out.add(sopOf(f));
        }
        return out;
    }
}
