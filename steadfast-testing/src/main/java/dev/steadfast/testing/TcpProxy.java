package dev.steadfast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP link on 127.0.0.1 between two sites that a test cuts and restores (issue 17). Each
 * connection is piped both ways on virtual threads. {@link #cut()} closes every open connection;
 * what happens to new ones depends on the {@link Mode}: {@link Mode#REFUSE} closes the listening
 * port (a peer gets "connection refused", as with a stopped server), {@link Mode#SILENT} accepts
 * them and passes nothing either way (the far side is silent, as behind a dead WAN link, so a
 * client without timeouts would hang). {@link #restore()} forwards new connections again, on the
 * same port.
 */
public final class TcpProxy implements AutoCloseable {
    /** What a cut link does to new connections. */
    public enum Mode {
        /** The port is closed: connection refused. */
        REFUSE,
        /** Connections are accepted and held open, never answered. */
        SILENT
    }

    private final InetSocketAddress target;
    private final Mode mode;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private int port;
    private ServerSocket listener;
    private volatile boolean cut;
    private boolean closed;

    private TcpProxy(InetSocketAddress target, Mode mode) {
        this.target = target;
        this.mode = mode;
    }

    /** Starts a proxy to {@code host:port} on a free loopback port; a cut refuses connections. */
    public static TcpProxy start(String host, int port) throws IOException {
        return start(host, port, Mode.REFUSE);
    }

    /** Starts a proxy to {@code host:port} on a free loopback port; a cut does what {@code mode} says. */
    public static TcpProxy start(String host, int port, Mode mode) throws IOException {
        TcpProxy p = new TcpProxy(new InetSocketAddress(host, port), mode);
        p.listen(0);
        return p;
    }

    /** The port clients connect to (the same after a restore). */
    public synchronized int port() {
        return port;
    }

    /** Connections accepted so far. */
    public long connections() {
        return accepted.get();
    }

    /** Whether the link is up (not cut). */
    public boolean up() {
        return !cut;
    }

    /** Cuts the link: open connections are closed, new ones refused or held silent (the mode). */
    public synchronized void cut() throws IOException {
        cut = true;
        if (mode == Mode.REFUSE && listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Restores the link on the same port. */
    public synchronized void restore() throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        cut = false;
        if (listener == null) {
            listen(port);
        }
    }

    private void listen(int p) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true); // the port again at once, whatever connections of before linger
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 50);
        listener = s;
        port = s.getLocalPort();
        Thread.ofVirtual().name("tcp-proxy-accept-" + port).start(() -> accept(s));
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // cut or closed
            }
            accepted.incrementAndGet();
            if (cut) { // silent mode: held open, never answered, closed by restore's next cut or close
                open.add(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            synchronized (this) {
                if (listener != s || cut) { // cut meanwhile
                    closeQuietly(client);
                    closeQuietly(server);
                    if (listener != s) {
                        return;
                    }
                    continue;
                }
                open.add(client);
                open.add(server);
            }
            noDelay(client);
            noDelay(server);
            Thread.ofVirtual().start(() -> pipe(client, server));
            Thread.ofVirtual().start(() -> pipe(server, client));
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0 && !cut; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed, or the link was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void noDelay(Socket s) {
        try {
            s.setTcpNoDelay(true); // DIMSE's small PDUs must not wait for Nagle
        } catch (IOException e) {
            // a closed socket: its pipe ends at once
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        cut();
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }
}
