package dev.steadfast.server.hl7;

import dev.steadfast.server.config.Hl7Limits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLLP transport of the HL7 listener: one accept thread, one virtual thread per connection,
 * blocking reads bounded by {@link Hl7Limits}. HAPI's own server reads a message without a size
 * or time limit on a platform thread per connection; here a client that drips bytes, never ends a
 * message, sends a huge one or idles costs a parked virtual thread and at most the size limit, and
 * is ended clearly (an AR when its MSH arrived, then the connection closed), while every other
 * connection is answered as before. Messages on one connection are answered in order.
 */
final class MllpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MllpServer.class);

    private final ServerSocket server;
    private final Hl7Limits limits;
    private final UnaryOperator<String> answer;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final Thread acceptor;
    private final java.util.function.Predicate<InetAddress> senders;
    private final java.util.function.Consumer<InetAddress> refusedSender;
    private final AtomicLong strangers = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param server an unbound server socket (plain or TLS), bound here to {@code bind}:{@code port}
     * @param answer the acknowledgement for one message's text (HAPI's application router)
     */
    /**
     * @param senders who may connect; anyone else's connection is closed unanswered, before a byte is read
     * @param refused told of each refused address (the audit trail)
     */
    MllpServer(ServerSocket server, InetAddress bind, int port, Hl7Limits limits, UnaryOperator<String> answer,
               java.util.function.Predicate<InetAddress> senders, java.util.function.Consumer<InetAddress> refused)
            throws IOException {
        this.senders = senders;
        this.refusedSender = refused;
        this.server = server;
        this.limits = limits;
        this.answer = answer;
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port), 256);
        acceptor = Thread.ofPlatform().daemon().name("steadfast-hl7-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections open now. */
    int connections() {
        return open.size();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("HL7: accept failed: {}", e.toString());
                }
                continue;
            }
            if (!senders.test(s.getInetAddress())) {
                long n = strangers.incrementAndGet();
                if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th...: not a line per refusal
                    LOG.warn("HL7: connection from {} refused: not in hl7.allowed-senders ({} so far)",
                            s.getInetAddress().getHostAddress(), n);
                }
                try {
                    refusedSender.accept(s.getInetAddress());
                } catch (RuntimeException e) {
                    LOG.warn("HL7: could not audit a refused connection: {}", e.toString());
                }
                closeQuietly(s);
                continue;
            }
            if (open.size() >= limits.maxConnections()) {
                long n = refused.incrementAndGet();
                if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th...: not a line per refusal
                    LOG.warn("HL7: {} open connections (hl7.max-connections); closing one from {} ({} so far)",
                            open.size(), s.getInetAddress().getHostAddress(), n);
                }
                closeQuietly(s);
                continue;
            }
            open.add(s);
            Thread.ofVirtual().name("steadfast-hl7-" + s.getPort()).start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        String peer = s.getInetAddress().getHostAddress() + ":" + s.getPort();
        try (s) {
            s.setTcpNoDelay(true);
            MllpFrames frames = new MllpFrames(s, limits.maxMessageBytes());
            OutputStream out = s.getOutputStream();
            while (!closed) {
                String text;
                try {
                    text = frames.read(limits.idleTimeout().toMillis(), limits.messageTimeout().toMillis());
                } catch (MllpFrames.LimitExceeded e) {
                    LOG.warn("HL7: {} from {}; answering AR and closing the connection", e.getMessage(), peer);
                    String ar = reject(e.head, e.getMessage());
                    if (ar != null) {
                        try {
                            MllpFrames.write(out, ar);
                            s.shutdownOutput();
                            discard(s); // a close with unread input resets the connection, and the AR could be lost
                        } catch (IOException ignored) {
                            // the client may not read; the connection ends either way
                        }
                    }
                    return;
                } catch (Hl7Charset.Undecodable e) {
                    // Read whole, so the connection goes on; not applied, so nothing is kept (the client sends it again).
                    LOG.info("HL7: message from {} refused (AR): {}", peer, e.getMessage());
                    String ar = reject(e.head, e.getMessage(), "102", "Data type error");
                    if (ar != null) {
                        MllpFrames.write(out, ar);
                    }
                    continue;
                }
                if (text == null) {
                    LOG.debug("HL7: {} closed or idle; connection ended", peer);
                    return;
                }
                MllpFrames.write(out, answer.apply(text));
            }
        } catch (SocketException e) {
            LOG.debug("HL7: connection from {} ended: {}", peer, e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.info("HL7: connection from {} ended: {}", peer, e.toString());
        } finally {
            open.remove(s);
        }
    }

    /** Reads and drops what the client still sends, at most 8 MiB for at most two seconds, so that it can read the AR. */
    private static void discard(Socket s) throws IOException {
        long end = System.nanoTime() + 2_000_000_000L;
        byte[] b = new byte[64 * 1024];
        java.io.InputStream in = s.getInputStream();
        long left;
        long dropped = 0;
        while ((left = (end - System.nanoTime()) / 1_000_000L) > 0 && dropped < (8 << 20)) {
            s.setSoTimeout((int) left);
            try {
                int n = in.read(b);
                if (n < 0) {
                    return;
                }
                dropped += n;
            } catch (java.net.SocketTimeoutException e) {
                return;
            }
        }
    }

    /** An AR for a message that could not be read whole, from its MSH; null without one. */
    static String reject(String head, String reason) {
        return reject(head, reason, "207", "Application internal error");
    }

    /** As {@link #reject(String, String)} with the error's code and text (HL7 table 0357). */
    static String reject(String head, String reason, String code, String codeText) {
        Msh m = Msh.of(head);
        if (m == null || m.controlId().isEmpty()) {
            return null;
        }
        String sep = String.valueOf(head.charAt(3));
        String enc = m.field(2);
        String text = reason.replaceAll("[|^~\\\\&\r\n]", " ");
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        String version = m.field(12).isEmpty() ? "2.5.1" : m.field(12);
        return String.join(sep, "MSH", enc, m.field(5), m.field(6), m.field(3), m.field(4), now, "",
                "ACK" + m.component() + m.event() + m.component() + "ACK", "SF-" + m.controlId(), m.field(11), version) + "\r"
                + String.join(sep, "MSA", "AR", m.controlId(), text) + "\r"
                + String.join(sep, "ERR", "", "", code + m.component() + codeText + m.component() + "HL70357",
                        "E", "", "", "", text) + "\r";
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
