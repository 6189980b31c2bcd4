package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.pdu.AAssociateRj;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PduReader;
import dev.steadfast.net.pdu.PduWriter;
import dev.steadfast.net.pdu.PresentationContextRq;
import dev.steadfast.net.pdu.UserInformation;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, slow drip: peers that open connections and send their A-ASSOCIATE-RQ a byte at a time
 * used to hold the listener, because the ARTIM timer restarted on every read; 64 of them locked
 * every modality out. Now set-up must finish within the ARTIM time as a whole, one address gets
 * at most {@code dicom.max-associations-per-host} slots, and its rejections do not count towards
 * the total. The drippers call from 127.0.0.2; dcmtk's echoscu and storescu (from 127.0.0.1) must
 * still be served.
 */
class Issue14SlowDripTest {
    private static final InetAddress DRIPPER = address("127.0.0.2");

    @TempDir
    Path tmp;

    private final List<Socket> drippers = new ArrayList<>();
    private final AtomicBoolean dripping = new AtomicBoolean(true);
    /** Drippers whose connection the archive closed (a write failed). */
    private final java.util.concurrent.atomic.AtomicInteger cutOff = new java.util.concurrent.atomic.AtomicInteger();

    @AfterEach
    void stopDripping() {
        dripping.set(false);
        for (Socket s : drippers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    @Test
    void sixtyFourDrippingSocketsFromOneAddressDoNotLockOthersOut() throws Exception {
        Path data = tmp.resolve("data");
        // The defaults: 64 associations, 16 per address, ARTIM 30 s (longer than this test needs).
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of("http.enabled", "false"),
                List.of())) {
            assertThat(node.config().dicom().maxAssociations()).isEqualTo(64);
            assertThat(node.config().dicom().maxAssociationsPerHost()).isEqualTo(16);
            int port = node.dicomPort();
            for (int i = 0; i < 16; i++) {
                drip(port, 1000);
            }
            // The address's 17th association is told to come back later (transient, local limit exceeded).
            try (Socket s = connectFrom(DRIPPER, port)) {
                s.getOutputStream().write(PduWriter.encode(request("DRIPPER")));
                Pdu answer = new PduReader(s.getInputStream(), 1 << 16, 1 << 16).read();
                assertThat(answer).isInstanceOfSatisfying(AAssociateRj.class, rj -> {
                    assertThat(rj.result()).isEqualTo(AAssociateRj.RESULT_TRANSIENT);
                    assertThat(rj.reason()).isEqualTo(AAssociateRj.LOCAL_LIMIT_EXCEEDED);
                });
            }
            for (int i = 16; i < 64; i++) {
                drip(port, 1000);
            }
            assertThat(node.activeAssociations()).as("slots the dripping address holds").isLessThanOrEqualTo(16);
            // 16 hold slots, 16 more wait to be told "over the limit"; the 32 beyond twice the limit are closed at once.
            long guard = System.nanoTime() + 20_000_000_000L;
            while (cutOff.get() < 32 && System.nanoTime() < guard) {
                Thread.sleep(50);
            }
            assertThat(cutOff.get()).as("drippers closed unanswered").isGreaterThanOrEqualTo(32);

            Peers.Result echo = Peers.run(List.of(Peers.tool("echoscu"), "-aec", "STEADFAST", "-aet", "MODALITY", "127.0.0.1",
                    String.valueOf(port)), 60);
            assertThat(echo.exitCode()).as(echo.output()).isZero();

            Path file = tmp.resolve("ct.dcm");
            Dataset ds = Instances.image(Instances.uid(), Instances.uid(), Instances.uid(), 256);
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
            }
            Peers.Result store = Peers.run(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "-aet", "MODALITY", "127.0.0.1",
                    String.valueOf(port), file.toString()), 60);
            assertThat(store.exitCode()).as(store.output()).isZero();
            String sop = ds.getString(dev.steadfast.dicom.Tag.SOPInstanceUID);
            java.util.Optional<?> stored = node.index().read(tx -> tx.instances().find(sop));
            assertThat(stored).as("the instance storescu sent").isPresent();
        }
    }

    @Test
    void anAssociationRequestDrippedOverMoreThanTheArtimTimeIsCutOff() throws Exception {
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("http.enabled", "false", "dicom.artim-timeout-seconds", "2"), List.of())) {
            byte[] rq = PduWriter.encode(request("DRIPPER"));
            try (Socket s = connectFrom(DRIPPER, node.dicomPort())) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                s.setSoTimeout(50);
                // One byte every 250 ms: each read comes well within the 2 s ARTIM time, the whole
                // request (about 200 bytes) would take some 50 s. Before the fix the archive waited
                // for all of it, then accepted.
                boolean closed = false;
                int sent = 0;
                while (sent < rq.length && !closed) {
                    try {
                        out.write(rq[sent]);
                        out.flush();
                        sent++;
                    } catch (IOException e) {
                        closed = true;
                        break;
                    }
                    closed = closedByPeer(in, 250);
                }
                if (!closed) {
                    s.setSoTimeout(5000);
                    Pdu answer = new PduReader(in, 1 << 16, 1 << 16).read();
                    throw new AssertionError("the whole request got through and was answered: " + answer);
                }
                assertThat(sent).as("bytes of the A-ASSOCIATE-RQ sent before the archive closed").isLessThan(rq.length);
            }
            Peers.Result echo = Peers.run(List.of(Peers.tool("echoscu"), "-aec", "STEADFAST", "127.0.0.1",
                    String.valueOf(node.dicomPort())), 60);
            assertThat(echo.exitCode()).as(echo.output()).isZero();
        }
    }

    @Test
    void aTlsHandshakeDrippedOverMoreThanTheArtimTimeIsCutOff() throws Exception {
        Path ks = tmp.resolve("archive.p12");
        Peers.Result keys = Peers.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "steadfast", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit"), 60);
        assertThat(keys.exitCode()).as(keys.output()).isZero();
        Path data = tmp.resolve("data");
        int tlsPort = Peers.freePort();
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of("http.enabled", "false",
                "dicom.artim-timeout-seconds", "2", "dicom.tls.port", String.valueOf(tlsPort), "dicom.tls.key-store", ks.toString(),
                "dicom.tls.key-store-password", "changeit", "dicom.tls.client-auth", "false"), List.of())) {
            try (Socket s = connectFrom(DRIPPER, tlsPort)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                s.setSoTimeout(50);
                // A TLS handshake record announcing 16 KiB, then its body a byte every 250 ms: each read
                // is well within the ARTIM time, the record would take over an hour.
                out.write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00});
                boolean closed = false;
                int sent = 0;
                while (sent < 16384 && !closed) {
                    try {
                        out.write(0);
                        out.flush();
                        sent++;
                    } catch (IOException e) {
                        closed = true;
                        break;
                    }
                    closed = closedByPeer(in, 250);
                    assertThat(sent).as("bytes dripped without the archive closing").isLessThan(400);
                }
                assertThat(closed).isTrue();
            }
        }
    }

    /** Waits {@code millis} for the peer to close (read -1 or reset); false if it is still open. */
    private static boolean closedByPeer(InputStream in, long millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                // nothing yet
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    /** A connection from {@code DRIPPER} that sends a valid A-ASSOCIATE-RQ one byte every {@code periodMillis}. */
    private void drip(int port, long periodMillis) throws IOException {
        Socket s = connectFrom(DRIPPER, port);
        drippers.add(s);
        byte[] rq = PduWriter.encode(request("DRIPPER"));
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < rq.length && dripping.get(); i++) {
                    out.write(rq[i]);
                    out.flush();
                    Thread.sleep(periodMillis);
                }
            } catch (IOException e) {
                if (dripping.get()) {
                    cutOff.incrementAndGet(); // closed by the archive (twice over the limit, or ARTIM)
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static Socket connectFrom(InetAddress local, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    private static AAssociateRq request(String callingAe) {
        return new AAssociateRq(1, "STEADFAST", callingAe, AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)),
                new UserInformation(16384, "1.2.3.4", "DRIP"));
    }

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
