package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.net.assoc.Association;
import dev.steadfast.net.assoc.AssociationAbortedException;
import dev.steadfast.net.assoc.Connector;
import dev.steadfast.net.assoc.PresentationContext;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The SCU API: one association, one operation at a time, on the caller's thread. Responses are
 * read by the caller's thread too; C-STORE requests arriving during a C-GET are handed to the
 * given storage handler on that same thread.
 */
public final class DimseClient implements Closeable {
    private final DimseChannel ch;
    /** The C-FIND, C-MOVE or C-GET under way, which {@link #cancel()} may cancel from another thread; null when none. */
    private Outstanding outstanding;

    private static final class Outstanding {
        final int messageId;
        final int presentationContextId;
        boolean cancelSent;

        Outstanding(int messageId, int presentationContextId) {
            this.messageId = messageId;
            this.presentationContextId = presentationContextId;
        }
    }

    private DimseClient(Association association) {
        this.ch = new DimseChannel(association);
    }

    public static DimseClient open(String host, int port, ClientOptions options) throws IOException {
        return new DimseClient(Connector.connect(host, port, options.localAddress(), options.toAssociateRq(), options.config(), options.tls()));
    }

    public Association association() {
        return ch.association();
    }

    public DimseResponse echo() throws IOException, DimseException {
        int pc = context(UID.Verification);
        Dataset rq = Commands.request(Dimse.C_ECHO_RQ, ch.nextMessageId(), UID.Verification, null, false);
        ch.send(pc, rq, (DimseChannel.DataWriter) null);
        return awaitFinal(rq, null, null);
    }

    public DimseResponse store(Path file) throws IOException, DimseException {
        return store(StoreSource.ofFile(file), null, -1);
    }

    /** Sends one instance; with a move originator it is a C-MOVE sub-operation. */
    public DimseResponse store(StoreSource source, String moveOriginatorAe, int moveOriginatorMessageId) throws IOException, DimseException {
        return store(source, moveOriginatorAe, moveOriginatorMessageId, null);
    }

    /**
     * Sends one instance and runs {@code whileWaiting} (when not null) once its request is written,
     * before the response is read: work that overlaps with the receiver's handling of the instance
     * (issue 19: a C-MOVE reads and checks its next object there).
     */
    public DimseResponse store(StoreSource source, String moveOriginatorAe, int moveOriginatorMessageId, Runnable whileWaiting)
            throws IOException, DimseException {
        StoreSender.Plan plan = StoreSender.plan(ch.association(), source);
        Dataset rq = Commands.request(Dimse.C_STORE_RQ, ch.nextMessageId(), source.sopClassUid(), source.sopInstanceUid(), true);
        if (moveOriginatorAe != null) {
            rq.setString(Tag.MoveOriginatorApplicationEntityTitle, VR.AE, moveOriginatorAe);
            rq.setInt(Tag.MoveOriginatorMessageID, VR.US, moveOriginatorMessageId);
        }
        ch.send(plan.presentationContextId(), rq, plan.writer());
        if (whileWaiting != null) {
            whileWaiting.run();
        }
        return awaitFinal(rq, null, null);
    }

    /**
     * C-FIND: each match goes to {@code onMatch} as it arrives; when it returns false a C-CANCEL-RQ
     * is sent and the remaining responses are read until the final one.
     */
    public DimseResponse find(String sopClassUid, Dataset keys, Predicate<Dataset> onMatch) throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.C_FIND_RQ, ch.nextMessageId(), sopClassUid, null, true);
        return cancellable(pc, rq, keys, new Predicate<>() {
            private boolean cancelled;

            @Override
            public boolean test(DimseResponse r) {
                if (!cancelled && r.dataset() != null && !onMatch.test(r.dataset())) {
                    cancelled = true;
                    return false;
                }
                return true;
            }
        }, null);
    }

    /** C-MOVE to {@code destinationAe}; pending responses (with sub-operation counts) go to {@code onPending}. */
    public DimseResponse move(String sopClassUid, String destinationAe, Dataset keys, Consumer<DimseResponse> onPending)
            throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.C_MOVE_RQ, ch.nextMessageId(), sopClassUid, null, true);
        rq.setString(Tag.MoveDestination, VR.AE, destinationAe);
        return cancellable(pc, rq, keys, r -> {
            if (onPending != null) {
                onPending.accept(r);
            }
            return true;
        }, null);
    }

    /** C-GET: the instances come back over this association as C-STORE requests, answered by {@code storage}. */
    public DimseResponse get(String sopClassUid, Dataset keys, CStoreService storage, Consumer<DimseResponse> onPending)
            throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.C_GET_RQ, ch.nextMessageId(), sopClassUid, null, true);
        return cancellable(pc, rq, keys, r -> {
            if (onPending != null) {
                onPending.accept(r);
            }
            return true;
        }, storage);
    }

    /**
     * Cancels the C-FIND, C-MOVE or C-GET under way (PS3.7 9.3.2.3, 9.3.4.3, 9.3.3.3): sends a
     * C-CANCEL-RQ once. Safe from any thread, e.g. a Ctrl-C handler; the operation's own thread reads
     * on to the final response (FE00 Cancel with the sub-operation counts, or whatever the peer
     * answers if it had already finished).
     *
     * @return false when no such operation was under way, or it was already cancelled
     */
    public synchronized boolean cancel() throws IOException {
        Outstanding o = outstanding;
        if (o == null || o.cancelSent) {
            return false;
        }
        o.cancelSent = true;
        ch.send(o.presentationContextId, Commands.cancel(o.messageId), (DimseChannel.DataWriter) null);
        return true;
    }

    /** Sends {@code rq} and reads to its final response; a C-CANCEL-RQ goes out when {@code onPending} returns false or {@link #cancel()} is called. */
    private DimseResponse cancellable(int pc, Dataset rq, Dataset keys, Predicate<DimseResponse> onPending, CStoreService storage)
            throws IOException {
        synchronized (this) { // a cancel() from another thread waits until the request is out
            ch.send(pc, rq, keys);
            outstanding = new Outstanding(rq.getInt(Tag.MessageID, 0), pc);
        }
        try {
            return awaitFinal(rq, onPending, storage);
        } finally {
            synchronized (this) {
                outstanding = null; // a late cancel() does nothing: the association may be released next
            }
        }
    }

    public DimseResponse nAction(String sopClassUid, String sopInstanceUid, int actionTypeId, Dataset actionInformation)
            throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.N_ACTION_RQ, ch.nextMessageId(), sopClassUid, sopInstanceUid, actionInformation != null);
        rq.setInt(Tag.ActionTypeID, VR.US, actionTypeId);
        ch.send(pc, rq, actionInformation);
        return awaitFinal(rq, null, null);
    }

    /** N-CREATE; {@code sopInstanceUid} null lets the SCP choose one (it comes back as the response's Affected SOP Instance UID). */
    public DimseResponse nCreate(String sopClassUid, String sopInstanceUid, Dataset attributes) throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.N_CREATE_RQ, ch.nextMessageId(), sopClassUid, sopInstanceUid, attributes != null);
        ch.send(pc, rq, attributes);
        return awaitFinal(rq, null, null);
    }

    public DimseResponse nSet(String sopClassUid, String sopInstanceUid, Dataset modifications) throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.N_SET_RQ, ch.nextMessageId(), sopClassUid, sopInstanceUid, modifications != null);
        ch.send(pc, rq, modifications);
        return awaitFinal(rq, null, null);
    }

    public DimseResponse nEventReport(String sopClassUid, String sopInstanceUid, int eventTypeId, Dataset eventInformation)
            throws IOException, DimseException {
        int pc = context(sopClassUid);
        Dataset rq = Commands.request(Dimse.N_EVENT_REPORT_RQ, ch.nextMessageId(), sopClassUid, sopInstanceUid, eventInformation != null);
        rq.setInt(Tag.EventTypeID, VR.US, eventTypeId);
        ch.send(pc, rq, eventInformation);
        return awaitFinal(rq, null, null);
    }

    /**
     * Waits for the peer to send an N-EVENT-REPORT on this association, as a storage commitment SCP
     * may after its N-ACTION response (PS3.4 J.3.3), and answers it with {@code handler}'s result
     * (its {@link DimseException} becomes the failure status). Waits up to the response timeout.
     */
    public void receiveEventReport(NEventReportService handler) throws IOException {
        DimseChannel.Message m = ch.read();
        Association a = ch.association();
        if (m == null) {
            a.abort();
            throw new AssociationAbortedException("peer requested release instead of sending an N-EVENT-REPORT; aborted");
        }
        if (m.type() != Dimse.N_EVENT_REPORT_RQ) {
            a.abort();
            throw new AssociationAbortedException("unexpected " + m.type() + " while awaiting an N-EVENT-REPORT; aborted");
        }
        DimseRequest rq = new DimseRequest(a.callingAeTitle(), a.calledAeTitle(), a.remoteAddress(), m.presentationContextId(),
                ch.transferSyntax(m.presentationContextId()), m.command(), a.peerAddress(), a.verifiedUser());
        Dataset info = null;
        if (m.data() != null) {
            try (var in = m.data()) {
                info = DicomReader.readDataset(in, rq.transferSyntaxUid());
            }
        }
        Dataset reply;
        try {
            reply = handler.eventReport(rq, m.command().getInt(Tag.EventTypeID, 0), info);
        } catch (DimseException e) {
            Dataset rsp = Commands.response(m.command(), e.status(), false);
            Commands.addError(rsp, e.errorComment(), e.offendingElement());
            ch.send(m.presentationContextId(), rsp, (DimseChannel.DataWriter) null);
            return;
        }
        ch.send(m.presentationContextId(), Commands.response(m.command(), Status.SUCCESS, reply != null), reply);
    }

    /**
     * Reads responses to {@code rq} until the final one. Pending responses go to {@code onPending};
     * when it returns false a C-CANCEL-RQ is sent once ({@link #cancel()}). C-STORE requests go to {@code storage}.
     */
    private DimseResponse awaitFinal(Dataset rq, Predicate<DimseResponse> onPending, CStoreService storage) throws IOException {
        int messageId = rq.getInt(Tag.MessageID, 0);
        while (true) {
            DimseChannel.Message m = ch.read();
            if (m == null) {
                ch.association().abort();
                throw new AssociationAbortedException("peer requested release while message " + messageId + " was outstanding; aborted");
            }
            Dimse type = m.type();
            if (type == Dimse.C_STORE_RQ && storage != null) {
                Association a = ch.association();
                StoreScp.handle(ch, m, storage, new DimseRequest(a.callingAeTitle(), a.calledAeTitle(), a.remoteAddress(),
                        m.presentationContextId(), ch.transferSyntax(m.presentationContextId()), m.command(), a.peerAddress(), a.verifiedUser()));
                continue;
            }
            if (type == null || type.isRequest() || m.command().getInt(Tag.MessageIDBeingRespondedTo, -1) != messageId) {
                ch.association().abort();
                throw new AssociationAbortedException("unexpected " + (type == null ? "command" : type) + " while awaiting the response to "
                        + Commands.type(rq) + " " + messageId + "; aborted");
            }
            Dataset data = null;
            if (m.data() != null) {
                try (var in = m.data()) {
                    data = DicomReader.readDataset(in, ch.transferSyntax(m.presentationContextId()));
                }
            }
            DimseResponse r = new DimseResponse(Commands.status(m.command()), m.command(), data);
            if (!r.status().isPending()) {
                return r;
            }
            if (onPending != null && !onPending.test(r)) {
                cancel();
            }
        }
    }

    private int context(String abstractSyntax) throws DimseException {
        for (PresentationContext pc : ch.association().presentationContexts().values()) {
            if (pc.accepted() && pc.abstractSyntax().equals(abstractSyntax)) {
                return pc.id();
            }
        }
        throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "no accepted presentation context for " + abstractSyntax);
    }

    public void release() throws IOException {
        ch.association().release();
    }

    public void abort() {
        ch.association().abort();
    }

    /** Releases if still established, else just closes. */
    @Override
    public void close() throws IOException {
        Association a = ch.association();
        if (a.state() == dev.steadfast.net.assoc.State.Sta6) {
            try {
                a.release();
            } catch (IOException e) {
                a.close();
            }
        } else {
            a.close();
        }
    }
}
