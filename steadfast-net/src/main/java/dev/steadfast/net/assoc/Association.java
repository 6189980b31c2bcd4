package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.AAbort;
import dev.steadfast.net.pdu.AAssociateAc;
import dev.steadfast.net.pdu.AAssociateRj;
import dev.steadfast.net.pdu.AAssociateRq;
import dev.steadfast.net.pdu.AReleaseRp;
import dev.steadfast.net.pdu.AReleaseRq;
import dev.steadfast.net.pdu.PDataTf;
import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PduFormatException;
import dev.steadfast.net.pdu.PduReader;
import dev.steadfast.net.pdu.PduWriter;
import dev.steadfast.net.pdu.PresentationDataValue;
import dev.steadfast.net.pdu.RoleSelection;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * One DICOM association over one transport connection, driven by the PS3.8 state machine
 * ({@link StateTable}): this class performs the table's actions.
 *
 * <p>Threading: an association is driven by one thread at a time, blocking. For an acceptor that is
 * the virtual thread {@link AssociationListener} starts for the connection; it reads PDUs and runs
 * the service handlers; a handler's {@code BackChannel} may send requests from another thread, under
 * the DIMSE channel's send lock. For a requestor it is the caller's thread. Reads time out through
 * {@code SO_TIMEOUT} (ARTIM, idle, response); writes cannot, so {@link Timers} closes the socket
 * when a write stalls. The ARTIM timer is also a deadline for its whole phase, kept by
 * {@link Timers}: a peer that drips its A-ASSOCIATE-RQ a byte at a time restarts {@code SO_TIMEOUT}
 * on every byte, but is still cut off when the ARTIM time has passed since the connection was
 * accepted. {@link #abort()} may be called from any thread.
 */
public final class Association implements Closeable {
    private static final System.Logger LOG = System.getLogger(Association.class.getName());

    private final Transport transport;
    private final PduReader reader;
    private final boolean requestor;
    private final AssociationConfig config;
    private volatile State state;
    private boolean artim;
    private Duration readTimeout;
    private AAssociateRq rq;
    private AAssociateAc ac;
    private String verifiedUser;
    private Map<Integer, PresentationContext> contexts = Map.of();
    private PDataTf current;
    private int currentIndex;

    private Association(Socket socket, boolean requestor, AssociationConfig config) throws IOException {
        this(new Transport(socket, config.writeTimeout()), requestor, config);
    }

    private Association(Transport transport, boolean requestor, AssociationConfig config) {
        this.transport = transport;
        this.requestor = requestor;
        this.config = config;
        this.reader = new PduReader(transport.in(), config.maxPduLengthReceive(), config.maxAssociatePduLength());
        this.state = State.Sta1;
        this.readTimeout = requestor ? config.responseTimeout() : config.idleTimeout();
    }

    /**
     * Requestor side: sends {@code rq} on the already connected {@code socket} (AE-1 was the connect)
     * and waits for the answer.
     *
     * @throws AssociationRejectedException on A-ASSOCIATE-RJ
     */
    public static Association request(Socket socket, AAssociateRq rq, AssociationConfig config) throws IOException {
        Association a = new Association(socket, true, config);
        a.rq = rq;
        a.fire(Event.Evt1);
        a.fire(Event.Evt2);
        a.send(rq); // AE-2
        a.startArtim(); // Sta5: no ARTIM in the standard here, but a silent acceptor must not hang us
        Pdu answer = a.receive();
        a.stopArtim();
        if (answer instanceof AAssociateAc acPdu) {
            a.ac = acPdu;
            a.contexts = PresentationContext.negotiated(rq, acPdu);
            return a;
        }
        throw new AssociationRejectedException((AAssociateRj) answer);
    }

    /**
     * Acceptor side: reads the A-ASSOCIATE-RQ and answers it with {@code policy}; when
     * {@code overLimit} the answer is a transient rejection (local limit exceeded).
     *
     * @return the established association, or null when it was rejected
     */
    public static Association accept(Socket socket, AssociationConfig config, AcceptorPolicy policy, boolean overLimit) throws IOException {
        return accept(socket, config, policy, overLimit ? OVER_LIMIT : null);
    }

    /** Too many associations at once: the requestor may retry later (PS3.8 table 9-21). */
    public static final AAssociateRj OVER_LIMIT =
            new AAssociateRj(AAssociateRj.RESULT_TRANSIENT, AAssociateRj.SOURCE_PRESENTATION, AAssociateRj.LOCAL_LIMIT_EXCEEDED);
    /**
     * Shutting down: transient too, so a modality queues and retries (against this node once
     * restarted, or another behind the balancer) instead of treating the refusal as permanent.
     */
    public static final AAssociateRj SHUTTING_DOWN =
            new AAssociateRj(AAssociateRj.RESULT_TRANSIENT, AAssociateRj.SOURCE_PRESENTATION, AAssociateRj.TEMPORARY_CONGESTION);

    /**
     * Acceptor side, as above; a non-null {@code refusal} answers the request with that
     * rejection whatever the policy says.
     */
    public static Association accept(Socket socket, AssociationConfig config, AcceptorPolicy policy, AAssociateRj refusal) throws IOException {
        return accept(new Association(socket, false, config), policy, refusal);
    }

    /**
     * Acceptor side behind a TCP balancer: {@code client} is the address its PROXY header named
     * (what access rules, limits and logs see), {@code firstByte} the byte already read looking for
     * that header (-1: none).
     */
    static Association accept(Socket socket, java.net.InetSocketAddress client, int firstByte, AssociationConfig config,
                              AcceptorPolicy policy, AAssociateRj refusal) throws IOException {
        return accept(new Association(new Transport(socket, config.writeTimeout(), client, firstByte), false, config), policy, refusal);
    }

    private static Association accept(Association a, AcceptorPolicy policy, AAssociateRj refusal) throws IOException {
        AssociationConfig config = a.config;
        a.fire(Event.Evt5); // AE-5: ARTIM runs while we wait for the request, from the accept on
        a.startArtim();
        a.rq = (AAssociateRq) a.receive(); // AE-6 -> Sta3
        a.stopArtim();
        Pdu answer = refusal != null ? refusal : policy.respond(a.rq, a.peerAddress(), config);
        if (answer instanceof AAssociateAc acPdu) {
            a.ac = acPdu;
            a.contexts = PresentationContext.negotiated(a.rq, acPdu);
            a.verifiedUser = policy.verifiedUser(a.rq); // accepted: the policy's verifier passed it
            a.fire(Event.Evt7);
            a.send(acPdu); // AE-7
            return a;
        }
        if (answer instanceof AAssociateRj rj) {
            LOG.log(System.Logger.Level.INFO, "association from " + a.rq.callingAeTitle() + " (" + a.remoteAddress() + ") to "
                    + a.rq.calledAeTitle() + " rejected, " + (rj.result() == AAssociateRj.RESULT_TRANSIENT ? "transient" : "permanent")
                    + ": " + rj.describe());
        }
        a.fire(Event.Evt8);
        a.send(answer); // AE-8
        a.awaitTransportClose();
        return null;
    }

    // ---- state machine -------------------------------------------------------------------------

    // Synchronized: a handler may send requests back (BackChannel) from another thread while this
    // association's thread reads, and each side's transition must see the other's state.
    private synchronized Action fire(Event e) {
        StateTable.Transition t = StateTable.transition(state, e, requestor);
        if (t == null) {
            throw new IllegalStateException(e + " (" + e.description() + ") is not allowed in " + state + " (" + state.description() + ")");
        }
        LOG.log(System.Logger.Level.TRACE, "{0} + {1} -> {2}, {3}", state, e, t.action(), t.next());
        state = t.next();
        return t.action();
    }

    /**
     * Reads one PDU and performs the transition it causes. Returns the PDU when the action is an
     * indication for the caller (AE-3, AE-6, DT-2, AR-2, AR-3, AR-6, AR-8, AR-10); throws when the
     * association ends abnormally.
     */
    private Pdu receive() throws IOException {
        while (true) {
            Pdu pdu;
            try {
                transport.readTimeout(artim ? config.artimTimeout() : readTimeout);
                pdu = reader.read();
            } catch (PduFormatException e) {
                perform(fire(Event.Evt19), e.abortReason());
                throw new AssociationAbortedException("invalid PDU from peer, aborted: " + e.getMessage(), e);
            } catch (SocketTimeoutException e) {
                if (artim) {
                    throw artimExpired(e);
                }
                abort();
                throw new AssociationAbortedException("no PDU from peer for " + readTimeout + ", aborted", e);
            } catch (IOException e) {
                if (transport.deadlineExpired()) {
                    throw artimExpired(e);
                }
                transportClosed();
                throw new AssociationAbortedException(transport.writeTimedOut() ? "write timed out (peer does not read)" : "connection lost: " + e.getMessage(), e);
            }
            if (pdu == null) {
                if (transport.deadlineExpired()) {
                    throw artimExpired(null);
                }
                transportClosed();
                throw new AssociationAbortedException("connection closed by peer in " + state);
            }
            Event e = switch (pdu.type()) {
                case Pdu.A_ASSOCIATE_RQ -> Event.Evt6;
                case Pdu.A_ASSOCIATE_AC -> Event.Evt3;
                case Pdu.A_ASSOCIATE_RJ -> Event.Evt4;
                case Pdu.P_DATA_TF -> Event.Evt10;
                case Pdu.A_RELEASE_RQ -> Event.Evt12;
                case Pdu.A_RELEASE_RP -> Event.Evt13;
                default -> Event.Evt16;
            };
            Action action = fire(e);
            switch (action) {
                case AE_3, AE_4, AE_6, DT_2, AR_2, AR_3, AR_6, AR_8, AR_10 -> {
                    if (action == Action.AE_4 || action == Action.AR_3) {
                        transport.close();
                    }
                    return pdu;
                }
                case AA_6 -> { } // ignored in Sta13; keep waiting
                case AA_3, AA_2 -> {
                    transport.close();
                    throw new AssociationAbortedException("peer aborted the association: " + pdu);
                }
                default -> {
                    perform(action, AAbort.UNEXPECTED_PDU);
                    if (state == State.Sta13 && action == Action.AA_7) {
                        continue;
                    }
                    throw new AssociationAbortedException("unexpected " + pdu.getClass().getSimpleName() + " in " + state + ", aborted");
                }
            }
        }
    }

    /** ARTIM started (or restarted): both the per-read timeout and the deadline of the whole phase. */
    private void startArtim() {
        artim = true;
        transport.startDeadline(config.artimTimeout());
    }

    private void stopArtim() {
        artim = false;
        transport.stopDeadline();
    }

    /** Evt18: in Sta2 and Sta13 the table's AA-2 (close); elsewhere (a requestor's own guard) an abort. */
    private AssociationAbortedException artimExpired(IOException cause) {
        State in = state;
        if (in == State.Sta2 || in == State.Sta13) {
            perform(fire(Event.Evt18), 0);
        } else {
            abort();
        }
        transport.close();
        return new AssociationAbortedException("ARTIM timer (" + config.artimTimeout() + ") expired in " + in, cause);
    }

    /** Side effects of the abort family of actions. */
    private void perform(Action action, int reason) {
        switch (action) {
            // After sending A-ABORT we close at once instead of waiting in Sta13 for the ARTIM timer:
            // the peer has nothing more to tell us, and a hostile peer must not hold the thread.
            case AA_1 -> {
                sendQuietly(new AAbort(AAbort.SOURCE_SERVICE_USER, 0));
                transport.close();
            }
            case AA_7 -> sendQuietly(new AAbort(AAbort.SOURCE_SERVICE_PROVIDER, reason));
            case AA_8 -> {
                sendQuietly(new AAbort(AAbort.SOURCE_SERVICE_PROVIDER, reason));
                transport.close();
            }
            default -> transport.close(); // AA-2, AA-3, AA-4, AA-5, AR-5, AE-4
        }
    }

    private void transportClosed() {
        if (state != State.Sta1) {
            perform(fire(Event.Evt17), 0);
        }
        transport.close();
    }

    /** Sta13: wait (ARTIM) for the peer to close the connection, ignoring PDUs (AA-6). */
    private void awaitTransportClose() {
        startArtim();
        try {
            while (state == State.Sta13) {
                receive();
            }
        } catch (IOException expected) {
            // closed (AR-5) or ARTIM expired (AA-2): either way the transport is gone now
        } finally {
            transport.close();
        }
    }

    // ---- primitives for the DIMSE layer --------------------------------------------------------

    /**
     * The next presentation-data-value the peer sent (DT-2), or null when the peer asked to release
     * (AR-2): answer with {@link #releaseResponse()}. The value's bytes are valid until the next call.
     */
    public PresentationDataValue nextPdv() throws IOException {
        if (current != null && currentIndex < current.values().size()) {
            return current.values().get(currentIndex++);
        }
        current = null;
        if (state == State.Sta8) {
            return null;
        }
        Pdu pdu = receive();
        if (pdu instanceof PDataTf p) {
            current = p;
            currentIndex = 1;
            return p.values().get(0);
        }
        return null; // AR-2: A-RELEASE-RQ
    }

    /** True when bytes from the peer are waiting (a C-CANCEL or A-ABORT) and can be read without blocking long. */
    public boolean inputAvailable() throws IOException {
        return (current != null && currentIndex < current.values().size()) || transport.available() > 0;
    }

    /** Sends one encoded P-DATA-TF PDU (DT-1 or AR-7); flushed by {@link #flush()}. */
    void writePData(byte[] pdu, int length) throws IOException {
        fire(Event.Evt9);
        write(pdu, length, false);
    }

    public void flush() throws IOException {
        write(null, 0, true);
    }

    /** Answers the peer's A-RELEASE-RQ (Evt14: AR-4, or AR-9 in a collision) and waits for the transport close. */
    public void releaseResponse() throws IOException {
        Action a = fire(Event.Evt14);
        send(new AReleaseRp());
        if (a == Action.AR_4) {
            awaitTransportClose();
        }
    }

    /** Orderly release (AR-1), handling a release collision (AR-8) as PS3.8 9.2.3 describes. */
    public void release() throws IOException {
        fire(Event.Evt11);
        send(new AReleaseRq()); // AR-1
        startArtim();
        while (true) {
            Pdu pdu = receive();
            switch (state) {
                case Sta1 -> {
                    return; // AR-3: confirmed, transport closed
                }
                case Sta9 -> { // collision, requestor side: we answer first
                    fire(Event.Evt14);
                    send(new AReleaseRp()); // AR-9 -> Sta11
                }
                case Sta12 -> { // collision, acceptor side: the requestor answered, now we do
                    releaseResponse();
                    return;
                }
                default -> LOG.log(System.Logger.Level.DEBUG, "ignoring {0} while releasing", pdu.getClass().getSimpleName());
            }
        }
    }

    /** A-ABORT request (Evt15, AA-1); safe from any thread; never throws. */
    public void abort() {
        boolean established = state != State.Sta1 && state != State.Sta13;
        if (established) {
            try {
                perform(fire(Event.Evt15), 0);
            } catch (IllegalStateException raced) {
                // another thread moved the state on; closing below is still right
            }
        }
        transport.close();
    }

    /** Aborts unless released; closing an association that is already over only closes the socket. */
    @Override
    public void close() {
        abort();
    }

    private void send(Pdu pdu) throws IOException {
        byte[] b = PduWriter.encode(pdu);
        write(b, b.length, true);
    }

    private void sendQuietly(Pdu pdu) {
        try {
            send(pdu);
        } catch (IOException | RuntimeException ignored) { // best effort: the connection is being torn down anyway
        }
    }

    private void write(byte[] b, int length, boolean flush) throws IOException {
        try {
            transport.write(b, length, flush);
        } catch (IOException e) {
            if (transport.writeTimedOut()) {
                state = State.Sta1;
                throw new AssociationAbortedException("write timed out after " + transport.writeTimeout() + " (peer does not read), aborted", e);
            }
            transportClosed();
            throw new AssociationAbortedException("connection lost while sending: " + e.getMessage(), e);
        }
    }

    // ---- negotiated facts ----------------------------------------------------------------------

    public State state() {
        return state;
    }

    public AAssociateRq associateRq() {
        return rq;
    }

    public AAssociateAc associateAc() {
        return ac;
    }

    public String callingAeTitle() {
        return rq.callingAeTitle();
    }

    public String calledAeTitle() {
        return rq.calledAeTitle();
    }

    public String remoteAddress() {
        return transport.remoteAddress();
    }

    /** The user name whose passcode the acceptor's policy verified (PS3.7 D.3.3.7), else null. */
    public String verifiedUser() {
        return verifiedUser;
    }

    /** The peer's IP address (what access rules and per-host limits look at). */
    public java.net.InetAddress peerAddress() {
        return transport.peerAddress();
    }

    public AssociationConfig config() {
        return config;
    }

    /** All proposed contexts with their result, by presentation context ID. */
    public Map<Integer, PresentationContext> presentationContexts() {
        return contexts;
    }

    public PresentationContext presentationContext(int id) {
        return contexts.get(id);
    }

    /** The P-DATA-TF PDU length we may send: the peer's maximum, capped by our configuration (0 from the peer means no limit). */
    public int sendPduLength() {
        int peer = requestor ? ac.userInformation().maxPduLength() : rq.userInformation().maxPduLength();
        int cap = config.maxPduLengthSend() == 0 ? 1 << 20 : config.maxPduLengthSend();
        return peer <= 0 ? cap : Math.min(peer, cap);
    }

    /** The role selection the acceptor accepted for {@code sopClassUid}, or null (default roles). */
    public RoleSelection acceptedRole(String sopClassUid) {
        return ac == null ? null : ac.userInformation().roleSelection(sopClassUid);
    }

    /** Read timeout while established: idle timeout for acceptors, response timeout for requestors. */
    public void setReadTimeout(Duration timeout) {
        this.readTimeout = timeout;
    }

    @Override
    public String toString() {
        return (rq == null ? "?" : rq.callingAeTitle() + "->" + rq.calledAeTitle()) + "@" + remoteAddress() + " " + state;
    }
}
