package dev.steadfast.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real syslog collector for the audit tests: Debian's rsyslogd in the foreground, listening on loopback for
 * UDP (RFC 5426) and TLS (RFC 5425, GnuTLS driver, certificate made by openssl for 127.0.0.1), writing each
 * message's body to a file. Skipped where rsyslogd is missing, except under CI=true, where it fails.
 */
public final class Rsyslog implements AutoCloseable {
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    public final int udpPort;
    public final int tlsPort;
    public final Path out;
    public final Path caPem;
    private final Process process;

    private Rsyslog(int udpPort, int tlsPort, Path out, Path caPem, Process process) {
        this.udpPort = udpPort;
        this.tlsPort = tlsPort;
        this.out = out;
        this.caPem = caPem;
        this.process = process;
    }

    public static void assumeAvailable() {
        if (!Files.isExecutable(RSYSLOGD)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("rsyslogd is missing (Debian packages rsyslog, rsyslog-gnutls); CI installs them");
            }
            Assumptions.abort("rsyslogd not installed");
        }
    }

    /** @param certHost the name the collector's certificate carries (an IP address or a DNS name) */
    public static Rsyslog start(Path dir, String certHost) throws Exception {
        assumeAvailable();
        Files.createDirectories(dir);
        String san = Character.isDigit(certHost.charAt(0)) ? "IP:" + certHost : "DNS:" + certHost;
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
                "-keyout", "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + certHost, "-keyout", "key.pem",
                "-out", "req.pem");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth\n");
        run(dir, "openssl", "x509", "-req", "-in", "req.pem", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "ext.cnf", "-out", "cert.pem");
        int udp = freePort();
        int tls = freePort();
        Path out = dir.resolve("received.log");
        Path work = Files.createDirectories(dir.resolve("work"));
        String conf = """
                global(workDirectory="%s"
                       DefaultNetstreamDriverCAFile="%s"
                       DefaultNetstreamDriverCertFile="%s"
                       DefaultNetstreamDriverKeyFile="%s"
                       maxMessageSize="64k")
                module(load="imudp")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
                input(type="imudp" address="127.0.0.1" port="%d")
                input(type="imtcp" address="127.0.0.1" port="%d")
                template(name="body" type="string" string="%%app-name%% %%msgid%% %%msg%%\\n")
                *.* action(type="omfile" file="%s" template="body")
                """.formatted(work, dir.resolve("ca.pem"), dir.resolve("cert.pem"), dir.resolve("key.pem"), udp, tls, out);
        Files.writeString(dir.resolve("rsyslog.conf"), conf);
        Process p = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslog.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        Rsyslog r = new Rsyslog(udp, tls, out, dir.resolve("ca.pem"), p);
        r.awaitListening(tls);
        return r;
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited: " + Files.readString(out.getParent().resolve("rsyslogd.out")));
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("rsyslogd did not listen on " + port);
    }

    /** The message bodies received so far, waiting (a hang guard, not a timing) until at least {@code n} arrived. */
    public List<String> awaitLines(int n, Duration guard) throws Exception {
        long deadline = System.nanoTime() + guard.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
            if (lines.size() >= n) {
                return lines;
            }
            Thread.sleep(100);
        }
        return lines;
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    public static List<String> bodies(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            int i = l.indexOf("<AuditMessage");
            if (i >= 0) {
                out.add(l.substring(i));
            }
        }
        return out;
    }
}
