package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** Issue 8, the Nagle case: quick ACK is set again before every read of an association's socket. */
class QuickAckInputStreamTest {

    @Test
    void armsBeforeEveryReadAndPassesTheBytesOnUnchanged() throws Exception {
        AtomicInteger arms = new AtomicInteger();
        AtomicInteger readsSeen = new AtomicInteger();
        InputStream source = new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                // the option must already be set when the socket read starts
                assertThat(arms.get()).isEqualTo(readsSeen.incrementAndGet());
                return super.read(b, off, len);
            }

            @Override
            public synchronized int read() {
                assertThat(arms.get()).isEqualTo(readsSeen.incrementAndGet());
                return super.read();
            }
        };
        InputStream in = new QuickAckInputStream(source, () -> {
            arms.incrementAndGet();
            return true;
        });
        assertThat(in.read()).isEqualTo(1);
        byte[] b = new byte[2];
        assertThat(in.read(b, 0, 2)).isEqualTo(2);
        assertThat(b).containsExactly(2, 3);
        assertThat(in.readAllBytes()).containsExactly(4, 5);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(arms.get()).isEqualTo(readsSeen.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aSocketThatRefusesTheOptionIsNotAskedAgain() throws Exception {
        AtomicInteger arms = new AtomicInteger();
        InputStream in = new QuickAckInputStream(new ByteArrayInputStream(new byte[] {7, 8, 9}), () -> {
            arms.incrementAndGet();
            return false;
        });
        assertThat(in.readAllBytes()).containsExactly(7, 8, 9);
        assertThat(arms.get()).isEqualTo(1);
    }

    /** On Linux the accepted socket's stream re-arms for real (the option exists and is accepted). */
    @Test
    void linuxSocketsGetTheWrapper() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            assumeTrue(accepted.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK), "no TCP_QUICKACK here");
            InputStream in = QuickAckInputStream.of(accepted);
            assertThat(in).isInstanceOf(QuickAckInputStream.class);
            OutputStream out = client.getOutputStream();
            out.write(new byte[] {42, 43});
            out.flush();
            assertThat(in.read()).isEqualTo(42);
            assertThat(in.read()).isEqualTo(43);
            assertThat(accepted.getOption(ExtendedSocketOptions.TCP_QUICKACK)).isNotNull();
        }
    }
}
