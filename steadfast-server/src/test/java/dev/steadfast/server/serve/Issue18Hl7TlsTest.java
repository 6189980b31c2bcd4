package dev.steadfast.server.serve;

import static dev.steadfast.server.serve.Hl7Client.msh;
import static dev.steadfast.server.serve.Hl7Client.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TlsKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: {@code hl7.tls: true} serves MLLP over TLS with the archive's DICOM TLS key: HAPI's
 * client, trusting the archive's certificate, gets its ADT acknowledged over TLS; a plain TCP
 * MLLP frame on that port gets no HL7 answer.
 */
class Issue18Hl7TlsTest {
    @TempDir
    Path tmp;

    @Test
    void mllpOverTlsWithTheArchivesKey() throws Exception {
        TlsKeys keys = new TlsKeys(tmp.resolve("keys")).archive("-keyalg", "EC", "-groupname", "secp256r1");
        Path data = tmp.resolve("data");
        Map<String, String> flags = new java.util.LinkedHashMap<>(keys.nodeFlags(data));
        flags.remove("dicom.tls.trust-store");
        flags.remove("dicom.tls.trust-store-password");
        flags.put("dicom.tls.client-auth", "false");
        flags.put("hl7.port", "0");
        flags.put("hl7.bind", "127.0.0.1");
        flags.put("hl7.tls", "true");
        try (ArchiveNode node = ArchiveNode.start(ConfigLoader.load(null, Map.of(), flags, List.of()));
             Hl7Client client = new Hl7Client(node.hl7().port(), trusting(keys.dir.resolve("archive.p12")))) {
            Hl7Client.Ack ack = client.send(msh("ADT^A08^ADT_A01"), seg("EVN", 1, "A08"), seg("PID", 1, "1", 3, "P18-TLS^^^HOSP",
                    5, "SECURE^SAM"));
            assertThat(ack.code()).as(ack.text()).isEqualTo("AA");

            // The same port does not speak plain MLLP: the bytes are not a TLS handshake.
            try (SSLSocket probe = (SSLSocket) trusting(keys.dir.resolve("archive.p12")).getSocketFactory()
                    .createSocket("127.0.0.1", node.hl7().port())) {
                probe.startHandshake();
                assertThat(probe.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            }
            try (java.net.Socket plain = new java.net.Socket("127.0.0.1", node.hl7().port())) {
                plain.setSoTimeout(5000);
                plain.getOutputStream().write(("\u000b" + msh("ADT^A08^ADT_A01") + "\rPID|1||X\r\u001c\r").getBytes());
                plain.getOutputStream().flush();
                byte[] answer = plain.getInputStream().readNBytes(3);
                assertThat(new String(answer)).doesNotContain("MSH");
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                // closed or silent: no HL7 answer, as expected
            }
        }
    }

    /** Outgoing HL7 over TLS (issue 18, hl7.destinations tls: true): here to the node's own TLS MLLP port. */
    @Test
    void outgoingMessagesGoOverTlsToADestinationWhoseCertificateNamesItsHost() throws Exception {
        TlsKeys keys = new TlsKeys(tmp.resolve("keys")).archive("-keyalg", "EC", "-groupname", "secp256r1",
                "-ext", "SAN=ip:127.0.0.1").trust("archive");
        Path data = tmp.resolve("data");
        int port = dev.steadfast.testing.Peers.freePort();
        Map<String, String> flags = new java.util.LinkedHashMap<>(keys.nodeFlags(data));
        flags.put("dicom.tls.client-auth", "false");
        flags.put("hl7.port", String.valueOf(port));
        flags.put("hl7.bind", "127.0.0.1");
        flags.put("hl7.tls", "true");
        Path yaml = tmp.resolve("steadfast.yaml");
        Files.writeString(yaml, "hl7:\n  destinations:\n    self: {host: 127.0.0.1, port: " + port + ", tls: true}\n");
        try (ArchiveNode node = ArchiveNode.start(ConfigLoader.load(yaml, Map.of(), flags, List.of()))) {
            node.hl7Out().outbox().enqueue("self", msh("ADT^A04^ADT_A01") + "\rEVN|A04\rPID|1||P18-TLS-OUT^^^HOSP||OVER^TLS\r");
            long end = System.nanoTime() + 60_000_000_000L;
            String name = null;
            while (name == null && System.nanoTime() < end) {
                Thread.sleep(50);
                name = node.index().read(tx -> {
                    try (var ps = tx.connection().prepareStatement("SELECT patient_name FROM hl7_patient WHERE patient_id = 'P18-TLS-OUT'");
                         var rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
            }
            assertThat(name).as("the ADT delivered over TLS and applied").isEqualTo("OVER^TLS");
            // Applied by the receiving side before it answered; the sending side records the AA just after.
            while (node.hl7Out().queues().states().getFirst().sent() < 1 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(node.hl7Out().queues().states()).singleElement().satisfies(st -> {
                assertThat(st.sent()).isEqualTo(1);
                assertThat(st.depth()).isZero();
            });
        }
    }

    private static SSLContext trusting(Path pkcs12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            ks.load(in, TlsKeys.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
