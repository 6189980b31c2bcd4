package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.net.assoc.Association;
import dev.steadfast.net.assoc.AssociationAbortedException;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationHandler;
import java.io.IOException;

/**
 * The SCP side of DIMSE: reads requests one at a time on the association's thread and routes each
 * to the handler registered for its SOP class and command. A handler's exception becomes a
 * failure status; only a broken transfer ends the association.
 */
public final class Dispatcher implements AssociationHandler {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final ServiceRegistry registry;
    private final AssociationConfig subOperationConfig;
    private final OperationListener listener;

    /**
     * @param subOperationConfig limits for the associations C-MOVE opens to its destinations (whether
     *                           they use TLS is each destination's own setting, {@link CMoveService.MoveDestination#tls()})
     */
    public Dispatcher(ServiceRegistry registry, AssociationConfig subOperationConfig) {
        this(registry, subOperationConfig, null);
    }

    private Dispatcher(ServiceRegistry registry, AssociationConfig subOperationConfig, OperationListener listener) {
        this.registry = registry;
        this.subOperationConfig = subOperationConfig;
        this.listener = listener;
    }

    /** This dispatcher, telling {@code listener} of each operation once it has been answered. */
    public Dispatcher withOperationListener(OperationListener listener) {
        return new Dispatcher(registry, subOperationConfig, listener);
    }

    @Override
    public void serve(Association association) throws IOException {
        DimseChannel ch = new DimseChannel(association);
        DimseChannel.Message m;
        // read() hands responses to requests sent through a BackChannel over to their senders and
        // returns only what this thread must answer.
        while ((m = ch.read()) != null) {
            if (listener == null || m.type() == null || !m.type().isRequest() || m.type() == Dimse.C_CANCEL_RQ) {
                handle(ch, m);
                continue;
            }
            long start = System.nanoTime();
            boolean failed = true;
            try {
                failed = !handle(ch, m);
            } finally {
                listener.completed(m.type(), System.nanoTime() - start, failed);
            }
        }
        association.releaseResponse();
    }

    /** @return false when the operation was answered with a failure raised here (the handler's exception) */
    private boolean handle(DimseChannel ch, DimseChannel.Message m) throws IOException {
        Association a = ch.association();
        DimseRequest rq = new DimseRequest(a.callingAeTitle(), a.calledAeTitle(), a.remoteAddress(), m.presentationContextId(),
                ch.transferSyntax(m.presentationContextId()), m.command(), a.peerAddress(), a.verifiedUser());
        Dimse type = m.type();
        if (type == Dimse.C_CANCEL_RQ) {
            return true; // nothing running: the operation it names has already been answered
        }
        if (type == null || !type.isRequest()) {
            a.abort();
            throw new AssociationAbortedException("unexpected command field 0x" + Integer.toHexString(Commands.commandField(m.command()))
                    + " from " + a.callingAeTitle() + ", aborted");
        }
        Object handler = registry.handler(rq.sopClassUid(), type);
        if (type == Dimse.C_STORE_RQ) {
            StoreScp.handle(ch, m, (CStoreService) handler, rq);
            return true;
        }
        Dataset data = null;
        try {
            if (m.data() != null) {
                try (var in = m.data()) {
                    data = DicomReader.readDataset(in, rq.transferSyntaxUid());
                }
            }
            if (handler == null) {
                throw new DimseException(registry.supports(rq.sopClassUid()) ? Status.UNRECOGNIZED_OPERATION : Status.SOP_CLASS_NOT_SUPPORTED,
                        type + " not supported for " + rq.sopClassUid());
            }
            switch (type) {
                case C_ECHO_RQ -> respond(ch, m, ((CEchoService) handler).echo(rq), null);
                case C_FIND_RQ -> find(ch, m, (CFindService) handler, rq, data);
                case C_MOVE_RQ, C_GET_RQ -> new RetrieveScp(ch, m, rq, subOperationConfig).run((RetrieveService) handler, data);
                case N_ACTION_RQ -> action(ch, m, (NActionService) handler, rq, data);
                case N_EVENT_REPORT_RQ -> respond(ch, m, Status.SUCCESS,
                        ((NEventReportService) handler).eventReport(rq, m.command().getInt(Tag.EventTypeID, 0), data));
                case N_CREATE_RQ -> create(ch, m, (NCreateService) handler, rq, data);
                case N_SET_RQ -> {
                    if (rq.sopInstanceUid() == null) {
                        throw new DimseException(Status.INVALID_SOP_INSTANCE, "N-SET-RQ without a Requested SOP Instance UID");
                    }
                    respond(ch, m, Status.SUCCESS, ((NSetService) handler).set(rq, rq.sopInstanceUid(), data == null ? new Dataset() : data));
                }
                default -> throw new DimseException(Status.UNRECOGNIZED_OPERATION, type + " is not supported");
            }
        } catch (AssociationAbortedException e) {
            throw e;
        } catch (DimseException e) {
            if (e.status().isFailure()) {
                LOG.log(System.Logger.Level.WARNING, refused(type, rq, e));
            }
            fail(ch, m, e.status(), e.errorComment(), e.offendingElement(), e.errorId());
            return e.status().isSuccess() || e.status().category() == Status.Category.WARNING;
        } catch (IOException | RuntimeException e) {
            // One line; the stack trace only at DEBUG (it is for developers, the line for operators).
            LOG.log(System.Logger.Level.WARNING, type + " handler failed for " + rq.callingAeTitle() + ": " + e);
            LOG.log(System.Logger.Level.DEBUG, type + " handler failure", e);
            fail(ch, m, unexpectedFailure(type, e), String.valueOf(e.getMessage() == null ? e : e.getMessage()), -1);
            return false;
        }
        return true;
    }

    /**
     * A refused request in one log line: operation, calling AE, C-MOVE destination, status and
     * offending element. Not the error comment: it may quote values from the request.
     */
    static String refused(Dimse type, DimseRequest rq, DimseException e) {
        return type.name().replace("_RQ", "").replace('_', '-') + " from " + rq.callingAeTitle()
                + (type == Dimse.C_MOVE_RQ ? " to destination " + rq.moveDestination() : "") + " refused: " + e.status()
                + (e.status().equals(Status.MOVE_DESTINATION_UNKNOWN) ? " move destination unknown" : "")
                + (e.offendingElement() > 0 ? ", offending element " + dev.steadfast.dicom.Tag.toString(e.offendingElement()) : "");
    }

    /** PS3.4: query/retrieve report "unable to process" (Cxxx), N- services and echo "processing failure" (0110). */
    static Status unexpectedFailure(Dimse type, Exception e) {
        return switch (type) {
            case C_FIND_RQ, C_MOVE_RQ, C_GET_RQ -> e instanceof IOException ? Status.OUT_OF_RESOURCES : Status.UNABLE_TO_PROCESS;
            case C_STORE_RQ -> e instanceof IOException ? Status.OUT_OF_RESOURCES : Status.PROCESSING_FAILURE;
            default -> Status.PROCESSING_FAILURE;
        };
    }

    /** The handler gets a back channel that opens once the N-ACTION-RSP has gone out (PS3.4 J.3.3: the report follows it). */
    private static void action(DimseChannel ch, DimseChannel.Message m, NActionService handler, DimseRequest rq, Dataset info)
            throws IOException, DimseException {
        BackChannel back = new BackChannel(ch, m.presentationContextId());
        boolean answered = false;
        try {
            respond(ch, m, Status.SUCCESS, handler.action(rq, m.command().getInt(Tag.ActionTypeID, 0), info, back));
            answered = true;
        } finally {
            back.opened(answered); // refused: the action failed, its requests must not go out
        }
    }

    /** The response names the instance created: the requestor's UID, or the one the handler chose (PS3.7 10.1.5.1.3). */
    private static void create(DimseChannel ch, DimseChannel.Message m, NCreateService handler, DimseRequest rq, Dataset attributes)
            throws IOException, DimseException {
        NCreateService.Created created = handler.create(rq, rq.sopInstanceUid(), attributes == null ? new Dataset() : attributes);
        Dataset rsp = Commands.response(m.command(), Status.SUCCESS, created.attributes() != null);
        if (created.sopInstanceUid() != null) {
            rsp.setString(Tag.AffectedSOPInstanceUID, dev.steadfast.dicom.VR.UI, created.sopInstanceUid());
        }
        ch.send(m.presentationContextId(), rsp, created.attributes());
    }

    private static void find(DimseChannel ch, DimseChannel.Message m, CFindService service, DimseRequest rq, Dataset identifier)
            throws IOException, DimseException {
        if (identifier == null) {
            throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "C-FIND-RQ without an identifier");
        }
        CancelWatch cancel = new CancelWatch(ch, rq.messageId());
        service.find(rq, identifier, new CFindService.FindResponder() {
            @Override
            public boolean pending(Dataset match) throws IOException {
                if (cancel.cancelled()) {
                    return false;
                }
                ch.send(m.presentationContextId(), Commands.response(m.command(), Status.PENDING, true), match);
                return !cancel.cancelled();
            }

            @Override
            public boolean cancelled() throws IOException {
                return cancel.cancelled();
            }
        });
        respond(ch, m, cancel.cancelled() ? Status.CANCEL : Status.SUCCESS, null);
    }

    private static void respond(DimseChannel ch, DimseChannel.Message m, Status status, Dataset data) throws IOException {
        ch.send(m.presentationContextId(), Commands.response(m.command(), status, data != null), data);
    }

    static void fail(DimseChannel ch, DimseChannel.Message m, Status status, String comment, int offending) throws IOException {
        fail(ch, m, status, comment, offending, -1);
    }

    static void fail(DimseChannel ch, DimseChannel.Message m, Status status, String comment, int offending, int errorId)
            throws IOException {
        Dataset rsp = Commands.response(m.command(), status, false);
        Commands.addError(rsp, comment, offending);
        if (errorId >= 0) {
            rsp.setInt(Tag.ErrorID, dev.steadfast.dicom.VR.US, errorId);
        }
        ch.send(m.presentationContextId(), rsp, (DimseChannel.DataWriter) null);
    }
}
