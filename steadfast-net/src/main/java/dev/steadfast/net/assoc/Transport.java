package dev.steadfast.net.assoc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transport connection under an association: buffered streams, read timeouts through
 * {@code SO_TIMEOUT}, and two timeouts the socket does not have, enforced by {@link Timers}: a
 * write timeout, and the ARTIM deadline, which bounds a whole phase (awaiting the A-ASSOCIATE-RQ,
 * say) however the peer spreads its bytes: {@code SO_TIMEOUT} restarts on every read, so a peer
 * dripping one byte at a time would never trip it.
 */
final class Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Duration writeTimeout;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean writeTimedOut;
    private volatile boolean deadlineExpired;
    private ScheduledFuture<?> deadline; // touched by the association's thread only

    /** The client as a trusted balancer's PROXY header named it, or null: the socket's peer. */
    private final java.net.InetSocketAddress proxiedClient;

    Transport(Socket socket, Duration writeTimeout) throws IOException {
        this(socket, writeTimeout, null, -1);
    }

    /**
     * @param proxiedClient the client a balancer's PROXY header named; null: the socket's peer
     * @param firstByte     a byte already read from the socket (the listener looked for a PROXY
     *                      header), or -1
     */
    Transport(Socket socket, Duration writeTimeout, java.net.InetSocketAddress proxiedClient, int firstByte) throws IOException {
        this.socket = socket;
        this.writeTimeout = writeTimeout;
        this.proxiedClient = proxiedClient;
        InputStream raw = QuickAckInputStream.of(socket);
        if (firstByte >= 0) {
            raw = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {(byte) firstByte}), raw);
        }
        this.in = new BufferedInputStream(raw, 65536);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
        socket.setTcpNoDelay(true);
    }

    InputStream in() {
        return in;
    }

    void readTimeout(Duration d) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Writes (and flushes) under the write lock; a write that stalls past the timeout closes the socket. */
    void write(byte[] b, int length, boolean flush) throws IOException {
        ScheduledFuture<?> watchdog = Timers.schedule(this::onWriteTimeout, writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        writeLock.lock();
        try {
            if (b != null) {
                out.write(b, 0, length);
            }
            if (flush) {
                out.flush();
            }
        } finally {
            writeLock.unlock();
            watchdog.cancel(false);
        }
    }

    /**
     * Closes the connection unless {@link #stopDeadline()} comes within {@code d} from now; replaces
     * a deadline already running.
     */
    void startDeadline(Duration d) {
        stopDeadline();
        deadline = Timers.schedule(this::onDeadline, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stopDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** Whether the connection was closed because the deadline passed. */
    boolean deadlineExpired() {
        return deadlineExpired;
    }

    private void onDeadline() {
        deadlineExpired = true;
        close();
    }

    /** Whether the last failure came from the write timeout (the peer does not read). */
    boolean writeTimedOut() {
        return writeTimedOut;
    }

    Duration writeTimeout() {
        return writeTimeout;
    }

    private void onWriteTimeout() {
        writeTimedOut = true;
        close();
    }

    int available() throws IOException {
        return in.available();
    }

    String remoteAddress() {
        return String.valueOf(proxiedClient != null ? proxiedClient : socket.getRemoteSocketAddress());
    }

    java.net.InetAddress peerAddress() {
        return proxiedClient != null ? proxiedClient.getAddress() : socket.getInetAddress();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that fails to close
        }
    }
}
