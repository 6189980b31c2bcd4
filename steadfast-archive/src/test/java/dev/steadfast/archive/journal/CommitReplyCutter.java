package dev.steadfast.archive.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between the index and PostgreSQL that, when armed, lets one COMMIT through to the
 * server and then breaks that connection as the server's reply arrives: the transaction is
 * committed, the client only sees its connection fail (what a fail-over or a network cut does to a
 * commit in flight). Detects the commit by the server's CommandComplete tag {@code COMMIT}.
 */
final class CommitReplyCutter implements AutoCloseable {
    private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int target;
    private final AtomicInteger armed = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    CommitReplyCutter(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("cutter-accept").start(this::accept);
    }

    int port() { return server.getLocalPort(); }

    /** The next {@code n} commits are executed by the server and their replies lost. */
    void arm(int n) { armed.set(n); }

    /** While down, the database is unreachable: connections are cut and new ones refused (closed at once). */
    void down(boolean isDown) {
        down = isDown;
        if (isDown) {
            sockets.forEach(CommitReplyCutter::closeQuietly);
            sockets.clear();
        }
    }

    /** Commits whose reply was cut so far. */
    int cut() { return cut.get(); }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    client.close();
                    continue;
                }
                Socket pg = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(pg);
                Thread.ofVirtual().start(() -> pump(client, pg, false));
                Thread.ofVirtual().start(() -> pump(pg, client, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * Copies {@code from} to {@code to}; from the server, while armed, a reply holding the
     * CommandComplete of a COMMIT (its tag is text even when the statement is server-prepared) is
     * dropped and the connection broken: the server committed, the client never hears of it.
     */
    private void pump(Socket from, Socket to, boolean fromServer) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (fromServer && contains(buf, n, COMMIT) && armed.getAndUpdate(a -> Math.max(0, a - 1)) > 0) {
                    cut.incrementAndGet();
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close the other too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static boolean contains(byte[] buf, int n, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(CommitReplyCutter::closeQuietly);
    }
}
