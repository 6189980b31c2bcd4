package dev.steadfast.net.assoc;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;

/**
 * Accepts transport connections and runs each association on its own virtual thread. Over
 * {@code maxAssociations} a new association is rejected as transient, local limit exceeded.
 *
 * <p>Threading: one virtual thread accepts; each accepted connection gets one virtual thread that
 * negotiates and then runs the {@link AssociationHandler} on it until the association ends.
 */
public final class AssociationListener implements Closeable {
    private static final System.Logger LOG = System.getLogger(AssociationListener.class.getName());

    private final ServerSocket server;
    private final AssociationConfig config;
    private final AcceptorPolicy policy;
    private final AssociationHandler handler;
    private final int maxAssociations;
    private final AtomicInteger active = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;
    /** Set by {@link #drain()}: new associations are rejected as transient while running ones finish. */
    private volatile boolean draining;

    private AssociationListener(ServerSocket server, AssociationConfig config, AcceptorPolicy policy, AssociationHandler handler,
                                int maxAssociations) {
        this.server = server;
        this.config = config;
        this.policy = policy;
        this.handler = handler;
        this.maxAssociations = maxAssociations;
        this.acceptor = Thread.ofVirtual().name("dicom-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /**
     * Listens on {@code address:port} (port 0: a free port); with {@code tls} non-null the port speaks
     * TLS only (DICOM TLS uses its own port, PS3.15 B.1).
     */
    public static AssociationListener start(InetAddress address, int port, AssociationConfig config, AcceptorPolicy policy,
                                            AssociationHandler handler, int maxAssociations, TlsConfig tls) throws IOException {
        ServerSocket ss;
        if (tls == null) {
            ss = new ServerSocket();
        } else {
            SSLServerSocket s = (SSLServerSocket) tls.context().getServerSocketFactory().createServerSocket();
            s.setSSLParameters(tls.parameters());
            ss = s;
        }
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(address, port), 128);
        return new AssociationListener(ss, config, policy, handler, maxAssociations);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Associations currently being served (negotiating, established or closing). */
    public int activeAssociations() {
        return active.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed on port " + port() + ": " + e);
                    try {
                        Thread.sleep(100); // out of file descriptors, say: do not spin
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                continue;
            }
            sockets.add(s);
            boolean overLimit = active.incrementAndGet() > maxAssociations;
            Thread.ofVirtual().name("dicom-assoc-" + s.getRemoteSocketAddress()).start(() -> serve(s, overLimit));
        }
    }

    private void serve(Socket s, boolean overLimit) {
        try (s) {
            Association a = Association.accept(s, config, policy,
                    draining ? Association.SHUTTING_DOWN : overLimit ? Association.OVER_LIMIT : null);
            if (a != null) {
                try (a) {
                    handler.serve(a);
                }
            }
        } catch (SocketException | AssociationAbortedException e) {
            LOG.log(System.Logger.Level.DEBUG, "association from " + s.getRemoteSocketAddress() + " ended: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "association from " + s.getRemoteSocketAddress() + " failed: " + e);
            LOG.log(System.Logger.Level.DEBUG, "association failure", e); // the stack trace, for developers
        } finally {
            sockets.remove(s);
            active.decrementAndGet();
        }
    }

    /**
     * From now on, answers every new association with a transient rejection (temporary
     * congestion), so senders retry later rather than give up; open associations go on.
     */
    public void drain() {
        draining = true;
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
