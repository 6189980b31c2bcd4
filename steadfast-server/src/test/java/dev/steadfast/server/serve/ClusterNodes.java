package dev.steadfast.server.serve;

import dev.steadfast.server.config.ConfigOptions;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cluster nodes for the issue 15 tests: in-process {@link ArchiveNode}s and {@code serve}
 * processes (which a test can kill -9), all on one PostgreSQL index and one shared storage folder,
 * with a short heartbeat so that a dead node is found in seconds.
 */
final class ClusterNodes {
    static final int HEARTBEAT_SECONDS = 1;
    static final int NODE_TIMEOUT_SECONDS = 3;
    private static final Pattern HTTP = Pattern.compile("DICOMweb at http://[^:]+:(\\d+)/");

    private ClusterNodes() {
    }

    /** The cluster options every node of a test shares, plus {@code extra}. */
    static Map<String, String> options(String nodeId, Path sharedStorage, Map<String, String> extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("cluster.node-id", nodeId);
        o.put("cluster.heartbeat-seconds", Integer.toString(HEARTBEAT_SECONDS));
        o.put("cluster.node-timeout-seconds", Integer.toString(NODE_TIMEOUT_SECONDS));
        if (!extra.containsKey("storage.targets")) {
            o.put("storage.path", sharedStorage.toString());
        }
        o.putAll(extra);
        return o;
    }

    static ArchiveNode inProcess(Path data, String indexUrl, Map<String, String> options, List<String> remoteAes) throws IOException {
        return TestNodes.start(data, indexUrl, options, remoteAes);
    }

    /** A {@code serve} process (ServeCrashTest's launcher); {@code options} become STEADFAST_* variables. */
    static Forked fork(Path data, String indexUrl, Map<String, String> options, String remoteAes) throws Exception {
        Files.createDirectories(data);
        Path log = data.resolve("serve.log");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STEADFAST_SHUTDOWN_GRACE_SECONDS", "5");
        if (remoteAes != null) {
            env.put("STEADFAST_REMOTE_AES", remoteAes);
        }
        options.forEach((k, v) -> env.put(new ConfigOptions.Option(k, null, null).environmentVariable(), v));
        Process p = ServeCrashTest.fork(data, indexUrl, log, env);
        try {
            int dicomPort = ServeCrashTest.awaitListening(p, log);
            Matcher m = HTTP.matcher(Files.readString(log));
            if (!m.find()) {
                throw new AssertionError("serve did not say where DICOMweb is:\n" + Files.readString(log));
            }
            return new Forked(p, dicomPort, Integer.parseInt(m.group(1)), log);
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** A running {@code serve} process and its ports. */
    record Forked(Process process, int dicomPort, int httpPort, Path log) implements AutoCloseable {
        /** SIGKILL: no draining, no goodbye in the index. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static String get(int httpPort, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The state /api/cluster gives a node, or null when it is not listed. */
    static String stateOf(String clusterJson, String nodeId) {
        Matcher m = Pattern.compile("\"nodeId\":\"" + Pattern.quote(nodeId) + "\",\"state\":\"([a-z]+)\"").matcher(clusterJson);
        return m.find() ? m.group(1) : null;
    }
}
