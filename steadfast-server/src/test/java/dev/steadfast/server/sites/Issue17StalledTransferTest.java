package dev.steadfast.server.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17: a peer that stops sending in the middle of a body (a link that died mid-transfer,
 * the TCP connection still open) must end the read with an error naming the timeout, not block it
 * for ever; a body that keeps flowing is read whole.
 */
class Issue17StalledTransferTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aBodyThatGoesSilentEndsInAnErrorAndOneThatFlowsIsReadWhole() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            peer.getOutputStream().write(new byte[1000]); // some bytes, then silence
            peer.getOutputStream().flush();
            try (InputStream in = new IdleTimeoutInputStream(client.getInputStream(), Duration.ofMillis(500))) {
                assertThat(in.readNBytes(1000)).hasSize(1000);
                assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("stalled");
            }
        }
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        peer.getOutputStream().write(new byte[100]);
                        peer.getOutputStream().flush();
                        Thread.sleep(50);
                    }
                    peer.close();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (InputStream in = new IdleTimeoutInputStream(client.getInputStream(), Duration.ofSeconds(10))) {
                assertThat(in.readAllBytes()).hasSize(500);
            }
            writer.join();
        }
    }
}
