package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.protocol.impl.AppRoutingDataImpl;
import ca.uhn.hl7v2.protocol.impl.ApplicationRouterImpl;
import ca.uhn.hl7v2.protocol.impl.TransportableImpl;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.workflow.DeadLetters;
import dev.steadfast.archive.workflow.Hl7Journal;
import dev.steadfast.archive.workflow.Orders;
import dev.steadfast.archive.workflow.PatientUpdates;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.server.config.Hl7Limits;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLServerSocket;

/**
 * The HL7 v2 MLLP listener of {@code serve} (issue 18, docs/HL7.md): our bounded MLLP transport
 * ({@link MllpServer}) on the configured address and port, optionally TLS with the archive's key
 * and trust stores, in front of HAPI's application router and parser, which answer every message
 * through one {@link Hl7Receiver}. Accepted messages pass through the HL7 journal in
 * {@code <data>/hl7-journal}. Messages of versions 2.3 to 2.5.1 are read with the 2.5.1 structures.
 */
public final class Hl7Listener implements AutoCloseable {
    private final HapiContext context;
    private final Hl7Journal journal;
    private final ApplicationRouterImpl router;
    private MllpServer server;

    private Hl7Listener(TlsConfig tls, Index index, Path journalDir, dev.steadfast.archive.audit.AccessAudit audit,
                        Hl7Routing routing) throws IOException {
        context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(ValidationContextFactory.noValidation()); // we check what we use, and say what is wrong
        // Acknowledgement control ids (MSH-10, at most 20 characters): HAPI's default keeps a counter in
        // ./id_file, wherever serve runs; this one is the start time in base 36 and a counter, unique across restarts.
        String start = "SF" + Long.toString(System.currentTimeMillis(), 36) + "-";
        AtomicLong n = new AtomicLong();
        context.getParserConfiguration().setIdGenerator(() -> start + n.incrementAndGet());
        Clock clock = Clock.systemUTC();
        Hl7Receiver receiver = new Hl7Receiver(context.getPipeParser(), new PatientUpdates(index, clock), new Orders(index, clock),
                routing, audit);
        journal = new Hl7Journal(journalDir, receiver::apply, Hl7Receiver::describe, new DeadLetters(index), clock);
        receiver.journal(journal);
        router = new ApplicationRouterImpl(context);
        router.bindApplication(new AppRoutingDataImpl("*", "*", "*", "*"), receiver);
    }

    /**
     * Starts listening; what an earlier run journaled and did not apply is applied first, in order.
     *
     * @param audit   each patient update or merge audited (issue 18: as the admin API's corrections are)
     * @param routing where received messages are also sent (store and forward), or {@link Hl7Routing#NONE}
     */
    public static Hl7Listener start(InetAddress bind, int port, TlsConfig tls, Hl7Limits limits,
                                    java.util.function.Predicate<InetAddress> senders, Index index, Path journalDir,
                                    dev.steadfast.archive.audit.AccessAudit audit, Hl7Routing routing) throws IOException {
        Hl7Listener l = new Hl7Listener(tls, index, journalDir, audit, routing);
        l.journal.start(Duration.ofSeconds(1));
        try {
            // A sender not allowed is audited like a DICOM association rejected for its address (Security Alert).
            var audited = audit == null ? dev.steadfast.archive.audit.AccessAudit.NONE : audit;
            l.server = new MllpServer(serverSocket(tls), bind, port, limits, l::answer, senders, from -> audited.refused(
                    new dev.steadfast.archive.audit.AuditEvents.Actor("HL7", from.getHostAddress()), true,
                    "HL7 connection refused: address not in hl7.allowed-senders", java.util.Map.of()));
        } catch (IOException | RuntimeException e) {
            l.journal.close();
            throw e;
        }
        return l;
    }

    /** HAPI's answer to one message: the receiver's acknowledgement, or an error ACK HAPI builds from the MSH. */
    private String answer(String text) {
        try {
            return router.processMessage(new TransportableImpl(text)).getMessage();
        } catch (HL7Exception e) {
            String ar = MllpServer.reject(text, "cannot be read: " + e.getMessage());
            if (ar == null) {
                throw new IllegalArgumentException("not an HL7 message (no MSH with a control id)", e);
            }
            return ar;
        }
    }

    private static ServerSocket serverSocket(TlsConfig tls) throws IOException {
        if (tls == null) {
            return new ServerSocket();
        }
        SSLServerSocket s = (SSLServerSocket) tls.context().getServerSocketFactory().createServerSocket();
        List<String> suites = new ArrayList<>(tls.cipherSuites());
        suites.retainAll(Arrays.asList(s.getSupportedCipherSuites()));
        s.setEnabledProtocols(tls.protocols().toArray(String[]::new));
        s.setEnabledCipherSuites(suites.toArray(String[]::new));
        s.setNeedClientAuth(tls.clientCertificateRequired());
        return s;
    }

    /** The port actually listened on (the configured one, or the free one chosen for port 0). */
    public int port() {
        return server.port();
    }

    /** Accepted HL7 messages not yet applied to the index. */
    public int pending() {
        return journal.pending();
    }

    /** MLLP connections open now. */
    public int connections() {
        return server.connections();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        journal.close();
        try {
            context.close();
        } catch (IOException e) {
            // nothing left to release that matters at shutdown
        }
    }
}
