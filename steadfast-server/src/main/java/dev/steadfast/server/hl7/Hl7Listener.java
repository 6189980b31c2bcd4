package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.SocketFactory;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.workflow.DeadLetters;
import dev.steadfast.archive.workflow.Hl7Journal;
import dev.steadfast.archive.workflow.Orders;
import dev.steadfast.archive.workflow.PatientUpdates;
import dev.steadfast.net.assoc.TlsConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLServerSocket;

/**
 * The HL7 v2 MLLP listener of {@code serve} (issue 18, docs/HL7.md): HAPI's server on the
 * configured address and port, optionally TLS with the archive's key and trust stores. Every
 * message goes to one {@link Hl7Receiver}; accepted messages pass through the HL7 journal in
 * {@code <data>/hl7-journal}. Messages of versions 2.3 to 2.5.1 are read with the 2.5.1 structures.
 */
public final class Hl7Listener implements AutoCloseable {
    private final HapiContext context;
    private final HL7Service server;
    private final Hl7Journal journal;
    private volatile ServerSocket socket;

    private Hl7Listener(InetAddress bind, int port, TlsConfig tls, Index index, Path journalDir,
                        dev.steadfast.archive.audit.AccessAudit audit) throws IOException {
        context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(ValidationContextFactory.noValidation()); // we check what we use, and say what is wrong
        // Acknowledgement control ids (MSH-10, at most 20 characters): HAPI's default keeps a counter in
        // ./id_file, wherever serve runs; this one is the start time in base 36 and a counter, unique across restarts.
        String start = "SF" + Long.toString(System.currentTimeMillis(), 36) + "-";
        java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
        context.getParserConfiguration().setIdGenerator(() -> start + n.incrementAndGet());
        context.setSocketFactory(socketFactory(bind, tls));
        Clock clock = Clock.systemUTC();
        Hl7Receiver receiver = new Hl7Receiver(context.getPipeParser(), new PatientUpdates(index, clock), new Orders(index, clock),
                audit);
        journal = new Hl7Journal(journalDir, receiver::apply, Hl7Receiver::describe, new DeadLetters(index), clock);
        receiver.journal(journal);
        server = context.newServer(port, tls != null);
        server.registerApplication("*", "*", receiver);
    }

    /** Starts listening; what an earlier run journaled and did not apply is applied first, in order. */
    public static Hl7Listener start(InetAddress bind, int port, TlsConfig tls, Index index, Path journalDir) throws IOException {
        return start(bind, port, tls, index, journalDir, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    /** As above, each patient update or merge audited (issue 18: as the admin API's corrections are). */
    public static Hl7Listener start(InetAddress bind, int port, TlsConfig tls, Index index, Path journalDir,
                                    dev.steadfast.archive.audit.AccessAudit audit) throws IOException {
        Hl7Listener l = new Hl7Listener(bind, port, tls, index, journalDir, audit);
        l.journal.start(Duration.ofSeconds(1));
        try {
            l.server.startAndWait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the HL7 listener", e);
        } catch (RuntimeException e) {
            l.journal.close();
            throw e;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (l.port() <= 0 && l.server.getServiceExitedWithException() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5); // HAPI's acceptor thread binds the socket after startAndWait returns
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (l.server.getServiceExitedWithException() != null || l.port() <= 0) {
            l.close();
            Throwable t = l.server.getServiceExitedWithException();
            throw t instanceof IOException io ? io : new IOException("the HL7 listener did not start on port " + port
                    + (t == null ? "" : ": " + t.getMessage()), t);
        }
        return l;
    }

    /** The port actually listened on (the configured one, or the free one chosen for port 0). */
    public int port() {
        ServerSocket s = socket;
        return s == null ? -1 : s.getLocalPort();
    }

    /** Accepted HL7 messages not yet applied to the index. */
    public int pending() {
        return journal.pending();
    }

    private SocketFactory socketFactory(InetAddress bind, TlsConfig tls) {
        return new StandardSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return bound(new ServerSocket());
            }

            @Override
            public ServerSocket createTlsServerSocket() throws IOException {
                SSLServerSocket s = (SSLServerSocket) tls.context().getServerSocketFactory().createServerSocket();
                List<String> suites = new ArrayList<>(tls.cipherSuites());
                suites.retainAll(Arrays.asList(s.getSupportedCipherSuites()));
                s.setEnabledProtocols(tls.protocols().toArray(String[]::new));
                s.setEnabledCipherSuites(suites.toArray(String[]::new));
                s.setNeedClientAuth(tls.clientCertificateRequired());
                return bound(s);
            }

            @Override
            public void configureNewAcceptedSocket(Socket socket) throws SocketException {
                socket.setTcpNoDelay(true);
            }

            private ServerSocket bound(ServerSocket s) throws IOException {
                ServerSocket b = new BoundServerSocket(s, bind);
                socket = b;
                return b;
            }
        };
    }

    @Override
    public void close() {
        server.stopAndWait();
        journal.close();
        try {
            context.close();
        } catch (IOException e) {
            // nothing left to release that matters at shutdown
        }
    }
}
