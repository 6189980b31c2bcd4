package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAssociateRq;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/** Requestor side: opens the transport connection (plain or TLS) and requests an association on it. */
public final class Connector {
    private Connector() {
    }

    public static Association connect(String host, int port, AAssociateRq rq, AssociationConfig config, TlsConfig tls) throws IOException {
        Socket s = tls == null ? new Socket() : tls.context().getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) config.connectTimeout().toMillis());
            if (s instanceof SSLSocket ssl) {
                ssl.setSSLParameters(tls.parameters());
                ssl.setSoTimeout((int) config.artimTimeout().toMillis());
                ssl.startHandshake();
            }
            return Association.request(s, rq, config);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
