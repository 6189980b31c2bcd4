package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.pdu.AAssociateAc;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.AReleaseRp;
import dev.steadfast.net.pdu.AReleaseRq;
import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PduReader;
import dev.steadfast.net.pdu.PduWriter;
import dev.steadfast.net.pdu.PresentationContextAc;
import dev.steadfast.net.pdu.PresentationContextRq;
import dev.steadfast.net.pdu.UserInformation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** PS3.8 9.2.3: both sides ask to release at once; the requestor answers first (Sta9, Sta11), then the acceptor. */
class ReleaseCollisionTest {
    @Test
    void requestorSideOfAReleaseCollision() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<Integer>> acceptor = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    PduReader in = new PduReader(s.getInputStream(), 1 << 16, 1 << 16);
                    AAssociateRq rq = (AAssociateRq) in.read();
                    s.getOutputStream().write(PduWriter.encode(new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(),
                            rq.applicationContextName(), List.of(new PresentationContextAc(1, 0, UID.ImplicitVRLittleEndian)),
                            new UserInformation(16384, "1.2.3", "PEER"))));
                    Pdu first = in.read(); // the requestor's A-RELEASE-RQ
                    s.getOutputStream().write(PduWriter.encode(new AReleaseRq())); // ours crosses it
                    Pdu second = in.read(); // the requestor answers first
                    s.getOutputStream().write(PduWriter.encode(new AReleaseRp()));
                    Pdu end = in.read(); // then the transport closes
                    return List.of(first.type(), second.type(), end == null ? -1 : end.type());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Association a = Association.request(s, new AAssociateRq(1, "PEER", "US", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                    List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)),
                    new UserInformation(16384, "1.2.4", "US")), AssociationConfig.DEFAULTS);
            assertThat(a.state()).isEqualTo(State.Sta6);
            a.release();
            assertThat(a.state()).isEqualTo(State.Sta1);
            assertThat(acceptor.get()).containsExactly(Pdu.A_RELEASE_RQ, Pdu.A_RELEASE_RP, -1);
        }
    }
}
