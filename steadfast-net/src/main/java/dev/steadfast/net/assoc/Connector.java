package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAssociateRq;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * Requestor side: opens the transport connection (plain or TLS) and requests an association on it.
 * Over TLS the peer's certificate must name the host we connected to (HTTPS-style endpoint
 * identification, RFC 6125), and the host name goes out as SNI: a certificate that chains to the
 * trust store but belongs to another host is refused.
 */
public final class Connector {
    private Connector() {
    }

    public static Association connect(String host, int port, AAssociateRq rq, AssociationConfig config, TlsConfig tls) throws IOException {
        return connect(host, port, null, rq, config, tls);
    }

    /** @param localAddress the address to connect from (null: the system's choice) */
    public static Association connect(String host, int port, InetAddress localAddress, AAssociateRq rq, AssociationConfig config,
                                      TlsConfig tls) throws IOException {
        Socket raw = new Socket();
        try {
            if (localAddress != null) {
                raw.bind(new InetSocketAddress(localAddress, 0));
            }
            raw.connect(new InetSocketAddress(host, port), (int) config.connectTimeout().toMillis());
            Socket s = raw;
            if (tls != null) {
                // Layered on the connected socket with the host as given: that is the name checked and sent as SNI.
                SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory().createSocket(raw, host, port, true);
                ssl.setSSLParameters(tls.clientParameters(host));
                ssl.setSoTimeout((int) config.artimTimeout().toMillis());
                handshake(ssl, raw, config);
                s = ssl;
            }
            return Association.request(s, rq, config);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * The handshake within the ARTIM time as a whole: {@code SO_TIMEOUT} restarts on every byte, so
     * a peer dripping its handshake would otherwise hold the caller (a C-MOVE sub-operation, say).
     */
    private static void handshake(SSLSocket ssl, Socket raw, AssociationConfig config) throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = Timers.schedule(() -> {
            expired.set(true);
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing is all there is to do
            }
        }, config.artimTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            throw expired.get() ? new SocketTimeoutException("TLS handshake not finished within " + config.artimTimeout()) : e;
        } finally {
            deadline.cancel(false);
        }
    }
}
