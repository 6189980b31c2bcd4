package dev.steadfast.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HAProxy (Debian's, 2.6) running the repository's own {@code deploy/haproxy.cfg}: the test
 * substitutes only the listening addresses and the nodes' addresses and ports, so what ships is
 * what is tested. Listens on free loopback ports; stopped by its PID.
 */
public final class Haproxy implements AutoCloseable {
    private static final Pattern DIMSE_SERVER = Pattern.compile("(?m)^(\\s*server node(\\d+) )\\S+:11112 check port 8080(.*)$");
    private static final Pattern WEB_SERVER = Pattern.compile("(?m)^(\\s*server node(\\d+) )\\S+:8080 check(.*)$");

    /**
     * The loopback address HAProxy calls the nodes' DICOM and HTTP ports from (its {@code source}),
     * apart from the test clients' 127.0.0.1: nodes trust PROXY headers and X-Forwarded-For from it
     * alone ({@code dicom.proxy-protocol.trusted}, {@code http.forwarded-for.trusted}), as a
     * deployment trusts its balancers' addresses.
     */
    public static final String BALANCER_ADDRESS = "127.0.0.2";

    /** One node's ports. */
    public record Backend(int dicomPort, int httpPort) {
    }

    private final Process process;
    private final int dicomPort;
    private final int httpPort;
    private final int statsPort;
    private final Path log;

    private Haproxy(Process process, int dicomPort, int httpPort, int statsPort, Path log) {
        this.process = process;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
        this.statsPort = statsPort;
        this.log = log;
    }

    /** The shipped configuration, found from the working directory (a module's folder under Maven). */
    public static Path shippedConfig() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path cfg = d.resolve("deploy/haproxy.cfg");
            if (Files.isRegularFile(cfg)) {
                return cfg;
            }
        }
        throw new IllegalStateException("deploy/haproxy.cfg not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * {@code shipped} with its front ends on 127.0.0.1 and these ports, and its servers
     * {@code node1..nodeN} pointed at {@code backends} (servers beyond them removed).
     */
    public static String render(String shipped, int dicomPort, int httpPort, int statsPort, List<Backend> backends) {
        String s = replaceOnce(shipped, "bind *:11112", "bind 127.0.0.1:" + dicomPort);
        s = replaceOnce(s, "bind *:8080", "bind 127.0.0.1:" + httpPort);
        s = replaceOnce(s, "bind 127.0.0.1:8404", "bind 127.0.0.1:" + statsPort);
        s = servers(s, DIMSE_SERVER, backends, b -> "127.0.0.1:" + b.dicomPort() + " source " + BALANCER_ADDRESS + " check port "
                + b.httpPort());
        return servers(s, WEB_SERVER, backends, b -> "127.0.0.1:" + b.httpPort() + " source " + BALANCER_ADDRESS + " check");
    }

    private static String servers(String cfg, Pattern line, List<Backend> backends, java.util.function.Function<Backend, String> address) {
        Matcher m = line.matcher(cfg);
        StringBuilder out = new StringBuilder();
        int seen = 0;
        while (m.find()) {
            int n = Integer.parseInt(m.group(2));
            seen++;
            String repl = n <= backends.size() ? m.group(1) + address.apply(backends.get(n - 1)) + m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(repl));
        }
        m.appendTail(out);
        if (seen < backends.size()) {
            throw new IllegalStateException("deploy/haproxy.cfg has " + seen + " servers matching " + line + ", need " + backends.size());
        }
        return out.toString();
    }

    private static String replaceOnce(String s, String what, String with) {
        if (!s.contains(what)) {
            throw new IllegalStateException("deploy/haproxy.cfg no longer contains '" + what + "'");
        }
        return s.replace(what, with);
    }

    /** Renders the shipped configuration into {@code dir} and starts HAProxy on it (skips without haproxy). */
    public static Haproxy start(Path dir, List<Backend> backends) throws IOException, InterruptedException {
        String haproxy = Peers.tool("haproxy");
        int dicom = Peers.freePort();
        int http = Peers.freePort();
        int stats = Peers.freePort();
        Files.createDirectories(dir);
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, render(Files.readString(shippedConfig()), dicom, http, stats, backends));
        Peers.Result check = Peers.run(List.of(haproxy, "-c", "-f", cfg.toString()), 30);
        if (check.exitCode() != 0) {
            throw new IllegalStateException("haproxy -c refused the rendered configuration:\n" + check.output());
        }
        Path log = dir.resolve("haproxy.log");
        Process p = Peers.start(List.of(haproxy, "-db", "-f", cfg.toString()), log); // -db: foreground
        Haproxy h = new Haproxy(p, dicom, http, stats, log);
        Peers.awaitPort(dicom, p, 30_000);
        Peers.awaitPort(http, p, 30_000);
        Peers.awaitPort(stats, p, 30_000);
        return h;
    }

    public int dicomPort() { return dicomPort; }

    public int httpPort() { return httpPort; }

    public Path log() { return log; }

    /** CPU time HAProxy has used so far. */
    public java.time.Duration cpu() {
        return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /**
     * Per server of {@code backend} ({@code steadfast_dicom} or {@code steadfast_web}): its current
     * sessions and its status (UP, DOWN...), from the statistics page's CSV.
     */
    public Map<String, ServerState> servers(String backend) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, ServerState> out = new HashMap<>();
        List<String> lines = new ArrayList<>(r.body().lines().toList());
        List<String> header = List.of(lines.getFirst().replaceFirst("^# ", "").split(","));
        int scur = header.indexOf("scur");
        int status = header.indexOf("status");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length > status && f[0].equals(backend) && !f[1].equals("BACKEND") && !f[1].equals("FRONTEND")) {
                out.put(f[1], new ServerState(Integer.parseInt(f[scur]), f[status]));
            }
        }
        return out;
    }

    /** One server's current sessions and status. */
    public record ServerState(int sessions, String status) {
    }

    @Override
    public void close() {
        Peers.stop(process);
    }
}
