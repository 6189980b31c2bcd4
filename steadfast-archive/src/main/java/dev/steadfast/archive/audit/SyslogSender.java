package dev.steadfast.archive.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends audit messages to a syslog collector (an audit record repository): RFC 5424 messages over UDP
 * (RFC 5426, one datagram each) or TLS (RFC 5425, octet-counting framing), as IHE ATNA asks.
 *
 * <p>Its own virtual thread sends; callers only queue, so a slow or dead collector never holds a store,
 * a query or a retrieve. The queue is bounded: beyond it messages are dropped and counted (they are in
 * the local chained log all the same). A TLS connection is reopened after a failure, at most every 5 s.
 */
public final class SyslogSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogSender.class);
    static final int QUEUE = 10_000;
    /** facility 10 (security/authorization), severity 5 (notice): <85>. */
    private static final int PRI_NOTICE = 10 * 8 + 5;
    /** Failures and security alerts at severity 4 (warning). */
    private static final int PRI_WARNING = 10 * 8 + 4;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final URI target;
    private final SSLContext tls;
    private final String hostname;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread sender;
    private volatile boolean closed;
    private Socket socket;
    private DatagramSocket udp;

    /**
     * @param target {@code udp://host:port} or {@code tls://host:port}
     * @param tls    the trust (and key) material for {@code tls://}; ignored for UDP
     */
    public SyslogSender(URI target, SSLContext tls) {
        String scheme = target.getScheme();
        if (!"udp".equals(scheme) && !"tls".equals(scheme)) {
            throw new IllegalArgumentException("an audit syslog target is udp://host:port or tls://host:port, not " + target);
        }
        if (target.getHost() == null || target.getPort() < 0) {
            throw new IllegalArgumentException("an audit syslog target needs a host and a port: " + target);
        }
        this.target = target;
        this.tls = tls;
        this.hostname = localHostName();
        this.sender = Thread.ofVirtual().name("audit-syslog").start(this::run);
    }

    /** Queues one message; never blocks. */
    public void send(String xml, boolean warning) {
        if (!queue.offer(frame(xml, warning))) {
            dropped.incrementAndGet();
        }
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int pending() {
        return queue.size();
    }

    private byte[] frame(String xml, boolean warning) {
        String header = "<" + (warning ? PRI_WARNING : PRI_NOTICE) + ">1 " + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                + " " + hostname + " steadfast " + ProcessHandle.current().pid() + " IHE+RFC-3881 - ";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] x = xml.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + BOM.length + x.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(BOM, 0, out, h.length, BOM.length);
        System.arraycopy(x, 0, out, h.length + BOM.length, x.length);
        return out;
    }

    private void run() {
        long retryAt = 0;
        while (!closed || !queue.isEmpty()) {
            byte[] msg;
            try {
                msg = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (msg == null) {
                continue;
            }
            while (true) {
                if (System.nanoTime() < retryAt) {
                    sleep(retryAt - System.nanoTime());
                    if (closed && queue.size() > 0) {
                        break; // shutting down with the collector away: the local log has them
                    }
                    continue;
                }
                try {
                    write(msg);
                    sent.incrementAndGet();
                    break;
                } catch (IOException e) {
                    LOG.warn("audit messages cannot reach {} ({}); retrying in 5 s, {} queued", target, e.getMessage(),
                            queue.size() + 1);
                    closeQuietly();
                    retryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    if (closed) {
                        break;
                    }
                }
            }
        }
        closeQuietly();
    }

    private void write(byte[] msg) throws IOException {
        if ("udp".equals(target.getScheme())) {
            if (udp == null) {
                udp = new DatagramSocket();
            }
            udp.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(target.getHost(), target.getPort())));
            return;
        }
        if (socket == null) {
            socket = connectTls();
        }
        OutputStream out = socket.getOutputStream();
        out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII)); // RFC 5425 octet counting
        out.write(msg);
        out.flush();
    }

    private Socket connectTls() throws IOException {
        SSLContext ctx = tls;
        if (ctx == null) {
            try {
                ctx = SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
        }
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the collector's certificate must name its host
        if (!Character.isDigit(target.getHost().charAt(0)) && target.getHost().indexOf(':') < 0) {
            p.setServerNames(List.of(new SNIHostName(target.getHost())));
        }
        s.setSSLParameters(p);
        s.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
        s.startHandshake();
        return s;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already broken
        }
        socket = null;
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    /** Sends what is queued (up to 5 s), then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
