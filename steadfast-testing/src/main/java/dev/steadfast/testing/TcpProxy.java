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
 * A TCP proxy on 127.0.0.1 whose link a test cuts and restores: {@link #cut()} closes every open
 * connection and the listening port (a peer then gets "connection refused", as with a dead link
 * or a stopped server), {@link #restore()} listens on the same port again. Each connection is
 * piped both ways on virtual threads. For forwarding, edge and second-site tests (issue 17).
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private int port;
    private ServerSocket listener;
    private boolean closed;

    private TcpProxy(InetSocketAddress target) {
        this.target = target;
    }

    /** Starts a proxy to {@code host:port} on a free loopback port. */
    public static TcpProxy start(String host, int port) throws IOException {
        TcpProxy p = new TcpProxy(new InetSocketAddress(host, port));
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

    /** Whether the link is up (listening). */
    public synchronized boolean up() {
        return listener != null;
    }

    /** Cuts the link: open connections are closed, new ones refused. */
    public synchronized void cut() throws IOException {
        if (listener != null) {
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
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            synchronized (this) {
                if (listener != s) { // cut meanwhile
                    closeQuietly(client);
                    closeQuietly(server);
                    return;
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
            for (int n; (n = in.read(buf)) >= 0; ) {
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
    }
}
