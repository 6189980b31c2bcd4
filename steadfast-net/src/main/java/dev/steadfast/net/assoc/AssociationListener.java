package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAssociateRj;
import java.util.function.Predicate;

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
 * {@code maxAssociations} a new association is rejected as transient, local limit exceeded; so is
 * one over {@code maxPerHost} from the same peer address, and such rejections do not count towards
 * the total, so one address can never take every slot. Beyond twice {@code maxPerHost} from one
 * address, a connection is closed at once without an answer (a flood gets no thread each).
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
    private final int maxPerHost;
    private final AtomicInteger active = new AtomicInteger();
    /** Open connections by peer address, within their limit or being rejected. */
    private final ConcurrentHashMap<InetAddress, Integer> perHost = new ConcurrentHashMap<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;
    /** Set by {@link #drain()}: new associations are rejected as transient while running ones finish. */
    private volatile boolean draining;
    /** The balancers whose PROXY protocol header names the client (and must come first); null: PROXY protocol off. */
    private final Predicate<InetAddress> proxyTrusted;
    /** {@code firstByte} of a connection whose first byte is still to be read, and checked not to begin a PROXY header. */
    private static final int PEEK = -2;

    private AssociationListener(ServerSocket server, AssociationConfig config, AcceptorPolicy policy, AssociationHandler handler,
                                int maxAssociations, int maxPerHost, Predicate<InetAddress> proxyTrusted) {
        this.server = server;
        this.proxyTrusted = proxyTrusted;
        this.config = config;
        this.policy = policy;
        this.handler = handler;
        this.maxAssociations = maxAssociations;
        this.maxPerHost = maxPerHost;
        this.acceptor = Thread.ofVirtual().name("dicom-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /**
     * Listens on {@code address:port} (port 0: a free port); with {@code tls} non-null the port speaks
     * TLS only (DICOM TLS uses its own port, PS3.15 B.1).
     */
    public static AssociationListener start(InetAddress address, int port, AssociationConfig config, AcceptorPolicy policy,
                                            AssociationHandler handler, int maxAssociations, TlsConfig tls) throws IOException {
        return start(address, port, config, policy, handler, maxAssociations, maxAssociations, tls);
    }

    /**
     * As {@link #start(InetAddress, int, AssociationConfig, AcceptorPolicy, AssociationHandler, int, TlsConfig)},
     * with at most {@code maxPerHost} associations from one peer address at once.
     */
    public static AssociationListener start(InetAddress address, int port, AssociationConfig config, AcceptorPolicy policy,
                                            AssociationHandler handler, int maxAssociations, int maxPerHost, TlsConfig tls)
            throws IOException {
        return start(address, port, config, policy, handler, maxAssociations, maxPerHost, tls, null);
    }

    /**
     * Behind a TCP load balancer (HAProxy {@code send-proxy-v2}): a connection from an address
     * {@code trusted} accepts must begin with a PROXY protocol header (v1 or v2), whose client
     * address then counts for the per-host limit, the access policy, the logs and the audit trail.
     * A header from any other address, or a connection from a trusted one without a valid header,
     * is closed with a log line. Null: PROXY protocol off. Not with {@code tls} (the header would precede the handshake).
     */
    public static AssociationListener start(InetAddress address, int port, AssociationConfig config, AcceptorPolicy policy,
                                            AssociationHandler handler, int maxAssociations, int maxPerHost, TlsConfig tls,
                                            Predicate<InetAddress> proxyTrusted) throws IOException {
        if (proxyTrusted != null && tls != null) {
            throw new IllegalArgumentException("PROXY protocol is for the plain DICOM port only");
        }
        if (maxAssociations < 1 || maxPerHost < 1) {
            throw new IllegalArgumentException("association limits must be at least 1");
        }
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
        return new AssociationListener(ss, config, policy, handler, maxAssociations, maxPerHost, proxyTrusted);
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
            Predicate<InetAddress> trusted = proxyTrusted;
            if (trusted == null) {
                admit(s, s.getInetAddress(), null, -1, true);
            } else if (!trusted.test(s.getInetAddress())) {
                // Not a balancer: its own limits at once (a flood gets no thread), then no PROXY header allowed.
                admit(s, s.getInetAddress(), null, PEEK, true);
            } else {
                // The client is known only once its balancer's header is read: on the connection's own thread.
                sockets.add(s);
                Thread.ofVirtual().name("dicom-proxied-" + s.getRemoteSocketAddress()).start(() -> readProxyHeader(s));
            }
        }
    }

    /**
     * Counts the connection against {@code peer}'s limit and serves it (on a new thread when
     * {@code spawn}, else on this one); over twice the limit it is closed at once.
     */
    private void admit(Socket s, InetAddress peer, java.net.InetSocketAddress proxiedClient, int firstByte, boolean spawn) {
        int fromPeer = perHost.merge(peer, 1, Integer::sum);
        if (fromPeer > 2 * maxPerHost) {
            release(peer);
            sockets.remove(s);
            LOG.log(System.Logger.Level.DEBUG, "closing a connection from " + peer.getHostAddress() + ": " + (fromPeer - 1) + " already open");
            try {
                s.close();
            } catch (IOException ignored) {
                // it is gone either way
            }
            return;
        }
        sockets.add(s);
        // Over the per-host limit: rejected, and not counted in the total, which stays for others.
        boolean counted = fromPeer <= maxPerHost;
        boolean overLimit = !counted || active.incrementAndGet() > maxAssociations;
        Runnable work = () -> serve(s, peer, proxiedClient, firstByte, overLimit, counted);
        if (spawn) {
            Thread.ofVirtual().name("dicom-assoc-" + s.getRemoteSocketAddress()).start(work);
        } else {
            work.run();
        }
    }

    /** PROXY protocol on, a connection from a trusted balancer: its header names the client. */
    private void readProxyHeader(Socket s) {
        InetAddress from = s.getInetAddress();
        java.net.InetSocketAddress proxied;
        try {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.artimTimeout().toMillis()));
            java.io.InputStream raw = s.getInputStream();
            proxied = ProxyProtocol.read(raw.read(), raw);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing a DICOM connection from " + from.getHostAddress() + ": " + e.getMessage());
            closeQuietly(s);
            return;
        }
        admit(s, proxied == null ? from : proxied.getAddress(), proxied, -1, false); // null: LOCAL, the balancer's own check
    }

    /**
     * PROXY protocol on, a connection from anyone else: its first byte, which must not begin a PROXY
     * header; -1 (connection closed, with a log line for a header) when it does or none comes.
     */
    private int firstByteWithoutProxyHeader(Socket s) {
        try {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.artimTimeout().toMillis()));
            int first = s.getInputStream().read();
            if (ProxyProtocol.startsHeader(first)) {
                LOG.log(System.Logger.Level.WARNING, "closing a DICOM connection from " + s.getInetAddress().getHostAddress()
                        + ": a PROXY protocol header from an address that is not a trusted balancer");
                return -1;
            }
            return first;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection from " + s.getRemoteSocketAddress() + " ended before its first byte: " + e);
            return -1;
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // it is gone either way
        }
    }

    private static String where(Socket s, java.net.InetSocketAddress proxiedClient) {
        return String.valueOf(proxiedClient != null ? proxiedClient + " via " + s.getRemoteSocketAddress() : s.getRemoteSocketAddress());
    }

    private void release(InetAddress peer) {
        perHost.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void serve(Socket s, InetAddress peer, java.net.InetSocketAddress proxiedClient, int firstByte, boolean overLimit,
                       boolean counted) {
        try (s) {
            if (firstByte == PEEK) {
                firstByte = firstByteWithoutProxyHeader(s);
                if (firstByte < 0) {
                    return; // closed; the finally below releases its count
                }
            }
            AAssociateRj refusal = draining ? Association.SHUTTING_DOWN : overLimit ? Association.OVER_LIMIT : null;
            Association a = proxiedClient == null && firstByte < 0 ? Association.accept(s, config, policy, refusal)
                    : Association.accept(s, proxiedClient, firstByte, config, policy, refusal);
            if (a != null) {
                try (a) {
                    handler.serve(a);
                }
            }
        } catch (SocketException | AssociationAbortedException e) {
            LOG.log(System.Logger.Level.DEBUG, "association from " + where(s, proxiedClient) + " ended: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "association from " + where(s, proxiedClient) + " failed: " + e);
            LOG.log(System.Logger.Level.DEBUG, "association failure", e); // the stack trace, for developers
        } finally {
            sockets.remove(s);
            if (counted) {
                active.decrementAndGet();
            }
            release(peer);
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
