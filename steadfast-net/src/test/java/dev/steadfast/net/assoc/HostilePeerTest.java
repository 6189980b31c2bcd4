package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.Commands;
import dev.steadfast.net.dimse.Dimse;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.net.pdu.AAbort;
import dev.steadfast.net.pdu.AAssociateAc;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PduReader;
import dev.steadfast.net.pdu.PduWriter;
import dev.steadfast.net.pdu.PresentationContextRq;
import dev.steadfast.net.pdu.UserInformation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that break the protocol: each case ends in an abort or reject within its timeout, a
 * handler never takes a partial instance for a whole one, and the SCP keeps serving others.
 */
class HostilePeerTest {
    private static final AssociationConfig CONFIG = AssociationConfig.DEFAULTS.withTimeouts(
            Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(5), Duration.ofMillis(800));
    private TestScp scp;

    @BeforeEach
    void start() throws IOException {
        scp = new TestScp("SCP", CONFIG, 8, null);
    }

    @AfterEach
    void stop() throws IOException {
        assertStillServing();
        scp.close();
    }

    private void assertStillServing() throws IOException {
        ClientOptions o = new ClientOptions().calledAeTitle("SCP").propose(UID.Verification, UID.ImplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), o)) {
            assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
        } catch (dev.steadfast.net.dimse.DimseException e) {
            throw new AssertionError(e);
        }
    }

    /** A peer speaking raw PDUs. */
    private final class Raw implements AutoCloseable {
        final Socket s = new Socket("127.0.0.1", scp.port());
        final OutputStream out = s.getOutputStream();
        final InputStream in = s.getInputStream();

        Raw() throws IOException {
            s.setSoTimeout(10_000);
        }

        AAssociateAc associate() throws IOException {
            AAssociateRq rq = new AAssociateRq(1, "SCP", "RAW", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                    List.of(new PresentationContextRq(1, UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian),
                            new PresentationContextRq(3, UID.StudyRootQueryRetrieveInformationModelGet, UID.ImplicitVRLittleEndian)),
                    new UserInformation(16384, "1.2.3", "RAW"));
            out.write(PduWriter.encode(rq));
            return (AAssociateAc) new PduReader(in, 1 << 20, 1 << 20).read();
        }

        void pdv(int pcid, int control, byte[] data, int off, int len) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(12 + len);
            b.put((byte) 4).put((byte) 0).putInt(6 + len).putInt(2 + len).put((byte) pcid).put((byte) control).put(data, off, len);
            out.write(b.array());
        }

        /** Reads until the server closes; returns the last PDU type seen (or -1), failing if that takes longer than {@code max}. */
        int awaitClose(Duration max) throws IOException {
            long t0 = System.nanoTime();
            s.setSoTimeout((int) max.toMillis() + 1000);
            int last = -1;
            try {
                PduReader r = new PduReader(in, 1 << 24, 1 << 20);
                Pdu p;
                while ((p = r.read()) != null) {
                    last = p.type();
                }
            } catch (IOException closed) {
                // reset or truncated: closed either way
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(max.plusMillis(1000));
            return last;
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    @Test
    void garbageBytesAreAborted() throws Exception {
        try (Raw r = new Raw()) {
            r.out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(r.awaitClose(Duration.ofSeconds(2))).isEqualTo(Pdu.A_ABORT);
        }
    }

    @Test
    void pduLongerThanAllowedIsAbortedBeforeAllocation() throws Exception {
        try (Raw r = new Raw()) {
            assertThat(r.associate().presentationContexts()).isNotEmpty();
            r.out.write(new byte[] {4, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(r.awaitClose(Duration.ofSeconds(2))).isEqualTo(Pdu.A_ABORT);
        }
        try (Raw r = new Raw()) {
            r.out.write(new byte[] {1, 0, 0x10, 0, 0, 0}); // a 256 MiB A-ASSOCIATE-RQ
            assertThat(r.awaitClose(Duration.ofSeconds(2))).isEqualTo(Pdu.A_ABORT);
        }
    }

    @Test
    void truncatedPduEndsTheAssociation() throws Exception {
        try (Raw r = new Raw()) {
            byte[] rq = PduWriter.encode(new AAssociateRq(1, "SCP", "RAW", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                    List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)), new UserInformation(16384, "1.2", "X")));
            r.out.write(rq, 0, rq.length / 2);
            r.s.shutdownOutput();
            r.awaitClose(Duration.ofSeconds(2));
        }
        waitForIdle();
    }

    @Test
    void abortInTheMiddleOfAStoreReachesTheHandlerAsAnIOException() throws Exception {
        byte[] data = dataset("1.2.99.1", 200_000);
        try (Raw r = new Raw()) {
            r.associate();
            byte[] cmd = Commands.encode(Commands.request(Dimse.C_STORE_RQ, 1, UID.SecondaryCaptureImageStorage, "1.2.99.1", true));
            r.pdv(1, 3, cmd, 0, cmd.length);
            r.pdv(1, 0, data, 0, 16000);
            r.pdv(1, 0, data, 16000, 16000);
            r.out.write(PduWriter.encode(new AAbort(AAbort.SOURCE_SERVICE_USER, 0)));
            r.awaitClose(Duration.ofSeconds(2));
        }
        waitForIdle();
        assertThat(scp.received).doesNotContainKey("1.2.99.1");
        assertThat(scp.streamFailures).hasSize(1).first().isInstanceOf(IOException.class);
    }

    @Test
    void connectionDroppedInTheMiddleOfAStoreReachesTheHandlerAsAnIOException() throws Exception {
        byte[] data = dataset("1.2.99.2", 200_000);
        try (Raw r = new Raw()) {
            r.associate();
            byte[] cmd = Commands.encode(Commands.request(Dimse.C_STORE_RQ, 1, UID.SecondaryCaptureImageStorage, "1.2.99.2", true));
            r.pdv(1, 3, cmd, 0, cmd.length);
            r.pdv(1, 0, data, 0, 16000);
            r.out.write(new byte[] {4, 0, 0, 0, 0x3e, (byte) 0x86, 0, 0}); // a P-DATA-TF cut short
        }
        waitForIdle();
        assertThat(scp.received).doesNotContainKey("1.2.99.2");
        assertThat(scp.streamFailures).hasSize(1);
    }

    @Test
    void dataSetOverTheLimitIsAbortedAndNotStored() throws Exception {
        try (TestScp small = new TestScp("SCP", CONFIG.withMaxDatasetLength(100_000), 2, null)) {
            ClientOptions o = new ClientOptions().calledAeTitle("SCP").propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
            try (DimseClient c = DimseClient.open("127.0.0.1", small.port(), o)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.store(source("1.2.97.1", 300_000), null, -1))
                        .isInstanceOf(IOException.class);
            }
            // The client sees the abort before the SCP's handler thread has recorded its failure.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (small.streamFailures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(small.received).isEmpty();
            assertThat(small.streamFailures).hasSize(1).first().asString().contains("limit");
        }
    }

    @Test
    void silentPeerIsDroppedWhenTheArtimTimerExpires() throws Exception {
        try (Raw r = new Raw()) {
            assertStillServing(); // others are served while it sits there
            r.awaitClose(CONFIG.artimTimeout().plusMillis(500));
        }
        try (Raw r = new Raw()) {
            r.associate();
            assertThat(r.awaitClose(CONFIG.idleTimeout().plusMillis(500))).isEqualTo(Pdu.A_ABORT); // idle once established
        }
    }

    @Test
    void peerThatNeverReadsIsAbortedByTheWriteTimeout() throws Exception {
        for (int i = 0; i < 4; i++) {
            scp.archive.add(source("1.2.98." + i, 8 << 20));
        }
        try (Raw r = new Raw()) {
            r.s.setReceiveBufferSize(4096);
            r.associate();
            Dataset keys = new Dataset().setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
            byte[] cmd = Commands.encode(Commands.request(Dimse.C_GET_RQ, 1, UID.StudyRootQueryRetrieveInformationModelGet, null, true));
            byte[] id = DicomWriter.encode(keys, UID.ImplicitVRLittleEndian);
            r.pdv(3, 3, cmd, 0, cmd.length);
            r.pdv(3, 2, id, 0, id.length);
            long t0 = System.nanoTime();
            while (scp.listener().activeAssociations() > 0 && System.nanoTime() - t0 < 5_000_000_000L) {
                assertStillServing();
                Thread.sleep(100);
            }
            assertThat(scp.listener().activeAssociations()).isZero();
        }
    }

    private void waitForIdle() throws InterruptedException {
        long t0 = System.nanoTime();
        while (scp.listener().activeAssociations() > 0 && System.nanoTime() - t0 < 3_000_000_000L) {
            Thread.sleep(10);
        }
        assertThat(scp.listener().activeAssociations()).isZero();
    }

    static byte[] dataset(String iuid, int pixels) throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setBytes(Tag.PixelData, VR.OB, new byte[pixels]);
        return DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
    }

    static StoreSource source(String iuid, int pixels) throws IOException {
        byte[] b = dataset(iuid, pixels);
        return new StoreSource() {
            public String sopClassUid() {
                return UID.SecondaryCaptureImageStorage;
            }

            public String sopInstanceUid() {
                return iuid;
            }

            public String transferSyntaxUid() {
                return UID.ExplicitVRLittleEndian;
            }

            public InputStream openDataset() {
                return new ByteArrayInputStream(b);
            }
        };
    }
}
