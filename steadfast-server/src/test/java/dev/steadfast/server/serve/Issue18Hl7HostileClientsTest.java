package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, hostile clients on the MLLP port (docs/HL7.md, "Limits"): one dripping a byte per
 * second, one that never ends its message, one sending a 200 MB message, and 200 idle connections,
 * all at once. HAPI's client still gets its acknowledgements meanwhile, and each hostile client gets
 * a clear end: an AR naming the limit when its MSH arrived, and the connection closed.
 */
class Issue18Hl7HostileClientsTest {
    private static final String START = "\u000b";

    @TempDir
    Path tmp;

    /** Reads until the server closes the connection; returns what it sent. */
    private static CompletableFuture<String> untilClosed(Socket s) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                s.setSoTimeout(120_000); // a bound for a broken test, not a measure
                InputStream in = s.getInputStream();
                byte[] b = new byte[8192];
                int n;
                while ((n = in.read(b)) >= 0) {
                    got.write(b, 0, n);
                }
            } catch (IOException e) {
                got.writeBytes(("<" + e.getClass().getSimpleName() + ">").getBytes(StandardCharsets.US_ASCII));
            }
            return got.toString(StandardCharsets.UTF_8);
        }, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void drippingEndlessHugeAndIdleClientsNeitherBlockOthersNorLastForever() throws Exception {
        Map<String, String> flags = Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "hl7.max-message-bytes", "1048576",
                "hl7.message-timeout-seconds", "5", "hl7.idle-timeout-seconds", "5", "hl7.max-connections", "300");
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                flags, List.of())) {
            int port = node.hl7().port();
            List<Socket> sockets = new ArrayList<>();
            try {
                // One byte per second, forever.
                Socket drip = new Socket("127.0.0.1", port);
                sockets.add(drip);
                CompletableFuture<String> dripEnd = untilClosed(drip);
                Thread dripper = Thread.ofVirtual().start(() -> {
                    byte[] m = (START + msh("ADT^A04^ADT_A01") + "\r").getBytes(StandardCharsets.US_ASCII);
                    try {
                        OutputStream out = drip.getOutputStream();
                        for (int i = 0; !Thread.currentThread().isInterrupted(); i = (i + 1) % m.length) {
                            out.write(m[i]);
                            out.flush();
                            Thread.sleep(1000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // the server ended it: what the test expects
                    }
                });

                // A whole MSH, then never the end of the message.
                Socket endless = new Socket("127.0.0.1", port);
                sockets.add(endless);
                CompletableFuture<String> endlessEnd = untilClosed(endless);
                String never = msh("ADT^A08^ADT_A01").replaceFirst("\\|CTL\\d+\\|", "|NEVER-1|");
                endless.getOutputStream().write((START + never + "\rPID|1||P-HOSTILE").getBytes(StandardCharsets.US_ASCII));
                endless.getOutputStream().flush();

                // 200 MB in one message.
                Socket huge = new Socket("127.0.0.1", port);
                sockets.add(huge);
                CompletableFuture<String> hugeEnd = untilClosed(huge);
                AtomicLong written = new AtomicLong();
                String big = msh("ADT^A08^ADT_A01").replaceFirst("\\|CTL\\d+\\|", "|BIG-1|");
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = huge.getOutputStream();
                        out.write((START + big + "\rNTE|1||").getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = new byte[1 << 20];
                        Arrays.fill(chunk, (byte) 'A');
                        for (int i = 0; i < 200; i++) {
                            out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                        out.write(new byte[] {0x1c, 0x0d});
                    } catch (IOException e) {
                        // refused part-way: what the test expects
                    }
                });

                // 200 connections that say nothing.
                List<CompletableFuture<String>> idleEnds = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    sockets.add(s);
                    idleEnds.add(untilClosed(s));
                }

                // Meanwhile an ordinary client is answered, message after message.
                try (Hl7Client hl7 = new Hl7Client(port)) {
                    for (int i = 1; i <= 3; i++) {
                        Hl7Client.Ack ack = hl7.send(msh("ADT^A04^ADT_A01"), seg("EVN", 1, "A04"),
                                seg("PID", 1, "1", 3, "P18-OK-" + i + "^^^HOSP", 5, "CALM^CLIENT"));
                        assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
                    }
                }

                // Each hostile client gets a clear end.
                String e1 = endlessEnd.get(120, TimeUnit.SECONDS);
                assertThat(e1).contains("MSA|AR|NEVER-1").contains("hl7.message-timeout-seconds");
                String e2 = hugeEnd.get(120, TimeUnit.SECONDS);
                assertThat(e2).contains("MSA|AR|BIG-1").contains("longer than 1048576 bytes");
                writer.join(120_000);
                assertThat(written.get()).as("the server stopped reading the huge message").isLessThan(200L << 20);
                dripEnd.get(120, TimeUnit.SECONDS); // closed after the message timeout: it never completed an MSH
                dripper.interrupt();
                for (CompletableFuture<String> f : idleEnds) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).as("an idle connection is closed, nothing sent").isEmpty();
                }
                long end = System.nanoTime() + 60_000_000_000L;
                while (node.hl7().connections() > 0 && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertThat(node.hl7().connections()).as("connections left open").isZero();
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void oneConnectionMoreThanTheLimitIsClosedAtOnceAndAFreedPlaceIsServed() throws Exception {
        Map<String, String> flags = Map.of("hl7.port", "0", "hl7.bind", "127.0.0.1", "hl7.max-connections", "3",
                "hl7.idle-timeout-seconds", "600");
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                flags, List.of())) {
            int port = node.hl7().port();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket("127.0.0.1", port));
                }
                long end = System.nanoTime() + 60_000_000_000L;
                while (node.hl7().connections() < 3 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertThat(node.hl7().connections()).isEqualTo(3);
                try (Socket extra = new Socket("127.0.0.1", port)) {
                    // Closed by the server long before the 600 s idle timeout could end it.
                    assertThat(untilClosed(extra).get(120, TimeUnit.SECONDS)).isEmpty();
                }
                held.removeFirst().close();
                while (node.hl7().connections() > 2 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                try (Hl7Client hl7 = new Hl7Client(port)) {
                    Hl7Client.Ack ack = hl7.send(msh("ADT^A04^ADT_A01"), seg("EVN", 1, "A04"), seg("PID", 1, "1", 3, "P18-LIMIT^^^HOSP"));
                    assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
