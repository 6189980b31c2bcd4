package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.assoc.AssociationRejectedException;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Haproxy;
import dev.steadfast.testing.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, DIMSE behind HAProxy in TCP mode: the shipped {@code deploy/haproxy.cfg} sends a PROXY
 * protocol v2 header ({@code send-proxy-v2}), and a node configured to trust the balancer's
 * address sees each client's own address. Clients call HAProxy from distinct loopback addresses
 * (127.0.0.3, 127.0.0.4); HAProxy calls the node from {@link Haproxy#BALANCER_ADDRESS}. The per-host
 * limit (1) and an AE title pinned to 127.0.0.3 judge the client, not the balancer; the audit trail
 * names the client. A PROXY header from an untrusted address, or none from the balancer, closes
 * the connection; direct clients without a header still work. DICOMweb through HAProxy
 * ({@code option forwardfor}): the audit trail names the client; a forged X-Forwarded-For from
 * anyone but the balancer is ignored.
 */
class Issue15ProxyProtocolTest {
    @TempDir
    Path tmp;

    private static final InetAddress CLIENT_1 = address("127.0.0.3");
    private static final InetAddress CLIENT_2 = address("127.0.0.4");

    @Test
    void behindHaproxyLimitsPinningAndAuditSeeTheClientNotTheBalancer() throws Exception {
        Peers.tool("haproxy");
        Path data = tmp.resolve("node");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                "dicom.proxy-protocol.trusted", Haproxy.BALANCER_ADDRESS + "/32",
                "http.forwarded-for.trusted", Haproxy.BALANCER_ADDRESS + "/32",
                "dicom.max-associations-per-host", "1",
                "access.pin", "PINNED@" + CLIENT_1.getHostAddress()), List.of());
             Haproxy lb = Haproxy.start(tmp.resolve("haproxy"), List.of(new Haproxy.Backend(node.dicomPort(), node.httpPort())))) {
            awaitUp(lb);

            // AE pinning: PINNED is accepted from 127.0.0.3 only, through the balancer.
            try (DimseClient c = DimseClient.open("127.0.0.1", lb.dicomPort(), echo("PINNED", CLIENT_1))) {
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
            assertThatThrownBy(() -> DimseClient.open("127.0.0.1", lb.dicomPort(), echo("PINNED", CLIENT_2)).close())
                    .as("PINNED calling from 127.0.0.4 through the balancer").isInstanceOf(AssociationRejectedException.class);

            // Per-host limit 1: two clients at once through the balancer, each within its own limit.
            try (DimseClient first = DimseClient.open("127.0.0.1", lb.dicomPort(), store("MOD1", CLIENT_1));
                 DimseClient second = DimseClient.open("127.0.0.1", lb.dicomPort(), echo("MOD2", CLIENT_2))) {
                assertThat(second.echo().status()).as("a second host beside the first").isEqualTo(Status.SUCCESS);
                assertThatThrownBy(() -> DimseClient.open("127.0.0.1", lb.dicomPort(), echo("MOD3", CLIENT_1)).close())
                        .as("the first host's second association, over its limit").isInstanceOf(AssociationRejectedException.class);
                assertThat(first.store(Instances.source(Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 1024)),
                        null, -1).status()).isEqualTo(Status.SUCCESS);
            }

            // A PROXY header from an address that is not the balancer: closed without an answer.
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(CLIENT_1, 0));
                s.connect(new InetSocketAddress("127.0.0.1", node.dicomPort()), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("PROXY TCP4 10.9.9.9 127.0.0.1 1234 11112\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readToEnd(s.getInputStream())).as("bytes answered to a forged PROXY header").isZero();
            }
            // The balancer's address without a header: refused too.
            assertThatThrownBy(() -> DimseClient.open("127.0.0.1", node.dicomPort(),
                    echo("MOD4", address(Haproxy.BALANCER_ADDRESS))).close()).isInstanceOf(IOException.class);
            // DICOMweb through the balancer (option forwardfor): the audit trail names the client, 127.0.0.6;
            // a forged X-Forwarded-For from a client calling directly (127.0.0.7) is ignored.
            assertThat(qido(address("127.0.0.6"), lb.httpPort(), "")).startsWith("HTTP/1.1 2");
            assertThat(qido(address("127.0.0.7"), node.httpPort(), "X-Forwarded-For: 10.9.9.9\r\n")).startsWith("HTTP/1.1 2");

            // A client calling the node directly, without the balancer, as before.
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), echo("MOD5", address("127.0.0.5")))) {
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
        }
        String audit = Files.readString(data.resolve("audit").resolve("access.log"));
        assertThat(audit).as("the audit records name the clients").contains(CLIENT_1.getHostAddress(), "127.0.0.6", "127.0.0.7")
                .doesNotContain(Haproxy.BALANCER_ADDRESS).doesNotContain("10.9.9.9");
    }

    private static ClientOptions echo(String callingAe, InetAddress from) {
        return new ClientOptions().callingAeTitle(callingAe).calledAeTitle("STEADFAST").localAddress(from)
                .propose(UID.Verification, UID.ImplicitVRLittleEndian);
    }

    private static ClientOptions store(String callingAe, InetAddress from) {
        return new ClientOptions().callingAeTitle(callingAe).calledAeTitle("STEADFAST").localAddress(from)
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
    }

    /** A QIDO-RS request from {@code from}, with {@code extraHeaders}; the status line of the answer. */
    private static String qido(InetAddress from, int port, String extraHeaders) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /dicom-web/studies?PatientID=NOBODY HTTP/1.1\r\nHost: archive\r\nAccept: application/dicom+json\r\n"
                    + extraHeaders + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }

    private static int readToEnd(InputStream in) throws IOException {
        int n = 0;
        while (in.read() >= 0) {
            n++;
        }
        return n;
    }

    private static void awaitUp(Haproxy lb) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L; // a hang guard, not a measurement
        while (System.nanoTime() < end) {
            var s = lb.servers("steadfast_dicom").get("node1");
            if (s != null && s.status().equals("UP")) {
                return;
            }
            Thread.sleep(100); // polling HAProxy's view of its health check
        }
        throw new AssertionError("HAProxy never saw the node up");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
