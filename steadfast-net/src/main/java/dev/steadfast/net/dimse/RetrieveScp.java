package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.AssociationConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One C-MOVE or C-GET on the SCP side: the C-STORE sub-operations (to the move destination over a
 * new association, or back over this one for C-GET), pending responses with counts, C-CANCEL,
 * and the final status of PS3.4 C.4.2.1.5 / C.4.3.1.4. A C-MOVE to a destination configured for
 * several associations sends its sub-operations over that many at once, each taking the next
 * instance when it is free (issue 19); a further association the destination refuses is not used.
 * An association the destination ends (abort, closed connection) fails its sub-operation in flight;
 * the others carry on, and what none of them could send counts as failed in the final response.
 */
final class RetrieveScp {
    private static final System.Logger LOG = System.getLogger(RetrieveScp.class.getName());

    private final DimseChannel ch;
    private final DimseChannel.Message m;
    private final DimseRequest rq;
    private final AssociationConfig config;
    private final CancelWatch cancel;
    /** Guards what the sending threads share: the counts, the next source, the pending response, reading {@link #ch}. */
    private final Object lock = new Object();
    private List<? extends StoreSource> sources = List.of();
    private int taken;
    /** Taken by an association that ended before sending them: the next free one takes them first. */
    private final Deque<StoreSource> givenBack = new ArrayDeque<>();
    /** Why an association to the destination ended early (null: none did): the final response's error comment. */
    private String lost;
    private boolean stopped;
    private int completed;
    private int failed;
    private int warning;
    private final List<String> failedUids = new ArrayList<>();
    /** The pending response of the last sub-operation, not sent yet (sent while the next one's response is awaited). */
    private Dataset owed;

    RetrieveScp(DimseChannel ch, DimseChannel.Message m, DimseRequest rq, AssociationConfig config) {
        this.ch = ch;
        this.m = m;
        this.rq = rq;
        this.config = config;
        this.cancel = new CancelWatch(ch, rq.messageId());
    }

    void run(RetrieveService service, Dataset identifier) throws IOException, DimseException {
        if (identifier == null) {
            throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, rq.type() + " without an identifier");
        }
        boolean move = rq.type() == Dimse.C_MOVE_RQ;
        CMoveService.MoveDestination dest = null;
        if (move) {
            String ae = rq.moveDestination();
            dest = ae == null ? null : ((CMoveService) service).destination(ae);
            if (dest == null) {
                throw new DimseException(Status.MOVE_DESTINATION_UNKNOWN, "move destination unknown: " + ae, Tag.MoveDestination);
            }
        }
        sources = service.retrieve(rq, identifier);
        DimseClient target = null;
        List<Thread> lanes = new ArrayList<>();
        AtomicReference<Exception> laneError = new AtomicReference<>();
        try {
            if (move && !sources.isEmpty()) {
                try {
                    target = DimseClient.open(dest.host(), dest.port(), destinationOptions(dest, sources));
                } catch (IOException e) {
                    // Unreachable, refused, or a failed TLS handshake: every sub-operation failed
                    // (PS3.4 C.4.2.1.5: A702 with the counts and the Failed SOP Instance UID List).
                    LOG.log(System.Logger.Level.WARNING, "cannot open association to move destination " + dest + ": " + e);
                    for (StoreSource s : sources) {
                        failed++;
                        failedUids.add(s.sopInstanceUid());
                    }
                    finish(0, dest.aeTitle() + " unreachable: " + e.getMessage());
                    return;
                }
                for (int k = 1; k < Math.min(dest.associations(), sources.size()); k++) {
                    CMoveService.MoveDestination d = dest;
                    lanes.add(Thread.ofVirtual().name("move-" + rq.messageId() + "-" + k).start(() -> furtherLane(d, laneError)));
                }
            }
            lane(target);
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                stopped = true; // the requestor is gone: the other associations send nothing more
            }
            throw e;
        } finally {
            if (target != null) {
                // Released before waiting for the others: a destination that takes one association at
                // a time accepts a further one only after this one ends (it then finds nothing to send).
                target.close();
            }
            for (Thread t : lanes) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (laneError.get() instanceof IOException e) {
            throw e; // as on the first association: the retrieve ends without its final response
        } else if (laneError.get() instanceof RuntimeException e) {
            throw e;
        }
        String comment;
        synchronized (lock) {
            comment = lost == null ? null : dest.aeTitle() + " ended the association: " + lost;
            if (lost != null && !cancel.cancelled()) {
                // Every association the destination gave ended early: what is left was never sent (PS3.4 C.4.2.1.5: failed).
                StoreSource s;
                while ((s = take()) != null) {
                    record(s, Status.OUT_OF_RESOURCES_SUB_OPERATIONS);
                }
            }
        }
        finish(sources.size() - done(), comment);
    }

    /** A further association to the destination, on its own thread; one the destination refuses is simply not used. */
    private void furtherLane(CMoveService.MoveDestination dest, AtomicReference<Exception> error) {
        DimseClient t;
        try {
            t = DimseClient.open(dest.host(), dest.port(), destinationOptions(dest, sources));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.INFO, "move destination " + dest + " took no further association, sending on the others: " + e);
            return;
        }
        try (t) {
            lane(t);
        } catch (IOException | RuntimeException e) {
            error.compareAndSet(null, e);
            synchronized (lock) {
                stopped = true;
            }
        }
    }

    /**
     * Sends sources one after the other over one association ({@code target}, or back over ours
     * when null), taking each from the shared list. Each object is read and checked while the
     * previous one's C-STORE-RSP is awaited, and the last pending response goes out then too
     * (issue 19): the receiver's handling of one instance overlaps with ours of the next. Nothing
     * is sent before its whole object passed its check: that check ends before its request is written.
     */
    private void lane(DimseClient target) throws IOException {
        StoreSource s = take();
        boolean ok = s != null && verified(s);
        while (s != null) {
            if (cancelled()) {
                break;
            }
            Overlap next = new Overlap();
            Status st;
            try {
                st = !ok ? Status.UNABLE_TO_PROCESS : target != null ? storeToDestination(target, s, next) : storeBack(s, next);
            } catch (DestinationLost e) {
                // Whether the destination kept this one is unknown: failed. The one read ahead goes to another association.
                LOG.log(System.Logger.Level.WARNING, "move destination ended an association during a sub-operation: " + e.getCause());
                target.abort();
                synchronized (lock) {
                    if (next.source != null) {
                        givenBack.addFirst(next.source);
                    }
                    if (lost == null) {
                        lost = String.valueOf(e.getCause().getMessage());
                    }
                }
                record(s, Status.OUT_OF_RESOURCES_SUB_OPERATIONS);
                return;
            }
            next.run(); // when the store did not get to it (not sent, or refused before sending)
            record(s, st);
            s = next.source;
            ok = next.verified;
        }
    }

    private StoreSource take() {
        synchronized (lock) {
            if (stopped) {
                return null;
            }
            return !givenBack.isEmpty() ? givenBack.pollFirst() : taken >= sources.size() ? null : sources.get(taken++);
        }
    }

    private boolean cancelled() throws IOException {
        synchronized (lock) {
            return cancel.cancelled();
        }
    }

    private int done() {
        synchronized (lock) {
            return completed + failed + warning;
        }
    }

    private void record(StoreSource s, Status st) {
        synchronized (lock) {
            switch (st.category()) {
                case SUCCESS -> completed++;
                case WARNING -> warning++;
                default -> {
                    failed++;
                    failedUids.add(s.sopInstanceUid());
                }
            }
            int remaining = sources.size() - completed - failed - warning;
            if (remaining > 0) { // replaces one not sent yet: pending responses are optional (PS3.4 C.4.2.1.5), the latest counts are what matter
                owed = Commands.response(m.command(), Status.PENDING, false);
                Commands.setSubOperations(owed, remaining, completed, failed, warning);
            }
        }
    }

    private void sendOwed() throws IOException {
        synchronized (lock) {
            if (owed != null) {
                Dataset pending = owed;
                owed = null;
                ch.send(m.presentationContextId(), pending, (DimseChannel.DataWriter) null);
            }
        }
    }

    private void finish(int remaining, String errorComment) throws IOException {
        boolean cancelled = cancel.cancelled() && remaining > 0;
        Status status;
        if (cancelled) {
            status = Status.CANCEL;
        } else if (failed == 0 && warning == 0) {
            status = Status.SUCCESS;
        } else if (completed == 0 && warning == 0) {
            status = Status.OUT_OF_RESOURCES_SUB_OPERATIONS;
        } else {
            status = Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES;
        }
        Dataset identifier = null;
        if (!failedUids.isEmpty()) {
            identifier = new Dataset();
            identifier.setString(Tag.FailedSOPInstanceUIDList, VR.UI, failedUids.toArray(String[]::new));
        }
        Dataset rsp = Commands.response(m.command(), status, identifier != null);
        Commands.setSubOperations(rsp, cancelled ? remaining : -1, completed, failed, warning);
        if (errorComment != null) {
            Commands.addError(rsp, errorComment, -1);
        }
        ch.send(m.presentationContextId(), rsp, identifier);
    }

    /** False when the source refuses to be sent (PS3.4 C.4.2.3: a failed sub-operation, never sent). */
    private static boolean verified(StoreSource s) {
        try {
            s.verify();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sub-operation for " + s.sopInstanceUid() + " failed before sending: " + e.getMessage());
            return false;
        }
    }

    /**
     * What a sub-operation does while its C-STORE-RSP is awaited, once: the last pending response
     * goes out, then the next object is taken, read and checked.
     */
    private final class Overlap {
        private boolean done;
        StoreSource source;
        boolean verified;

        void run() throws IOException {
            if (done) {
                return;
            }
            done = true;
            sendOwed();
            source = take();
            verified = source != null && verified(source);
        }
    }

    private Status storeToDestination(DimseClient target, StoreSource s, Overlap next) throws IOException {
        try {
            return target.store(s, rq.callingAeTitle(), rq.messageId(), () -> {
                try {
                    next.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).status();
        } catch (DimseException e) {
            return e.status(); // no context for this SOP class / syntax at the destination
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the pending response to the requestor could not be written
        } catch (IOException e) {
            throw new DestinationLost(e); // the association to the destination broke, or the object could not be read while sent
        }
    }

    /** The association to the move destination ended in the middle of a sub-operation: that association is done. */
    private static final class DestinationLost extends IOException {
        DestinationLost(IOException cause) {
            super(cause);
        }
    }

    /** C-GET: a C-STORE-RQ over our own association; the requestor may send C-CANCEL meanwhile. */
    private Status storeBack(StoreSource s, Overlap next) throws IOException {
        StoreSender.Plan plan;
        try {
            plan = StoreSender.plan(ch.association(), s);
        } catch (DimseException e) {
            return e.status();
        }
        Dataset storeRq = Commands.request(Dimse.C_STORE_RQ, ch.nextMessageId(), s.sopClassUid(), s.sopInstanceUid(), true);
        int id = storeRq.getInt(Tag.MessageID, 0);
        ch.send(plan.presentationContextId(), storeRq, plan.writer());
        next.run();
        while (true) {
            DimseChannel.Message r = ch.read();
            if (r != null && r.type() == Dimse.C_STORE_RSP && r.command().getInt(Tag.MessageIDBeingRespondedTo, -1) == id) {
                if (r.data() != null) {
                    r.data().drain();
                }
                return Commands.status(r.command());
            }
            cancel.accept(r);
        }
    }

    /** Contexts for each SOP class to send: the instances' own syntaxes first, then the uncompressed ones. */
    private ClientOptions destinationOptions(CMoveService.MoveDestination dest, List<? extends StoreSource> sources) {
        Map<String, Set<String>> syntaxes = new LinkedHashMap<>();
        for (StoreSource s : sources) {
            syntaxes.computeIfAbsent(s.sopClassUid(), k -> new LinkedHashSet<>()).add(s.transferSyntaxUid());
        }
        ClientOptions o = new ClientOptions().callingAeTitle(rq.calledAeTitle()).calledAeTitle(dest.aeTitle()).config(config).tls(dest.tls());
        for (Map.Entry<String, Set<String>> e : syntaxes.entrySet()) {
            for (String ts : e.getValue()) {
                if (!ClientOptions.UNCOMPRESSED.contains(ts) && o.proposedContexts() < 127) {
                    o.propose(e.getKey(), ts);
                }
            }
            if (o.proposedContexts() < 128) {
                o.propose(e.getKey(), ClientOptions.UNCOMPRESSED);
            }
        }
        return o;
    }
}
