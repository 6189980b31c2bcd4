package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.BackChannel;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.net.dimse.NActionService;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.config.AccessConfig;
import dev.steadfast.server.config.RemoteAeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Storage Commitment Push Model SCP (PS3.4 J): answers the N-ACTION at once, then checks each
 * referenced instance (indexed, same SOP class, stored bytes match their checksum) and reports the
 * result with an N-EVENT-REPORT on the requestor's association while it is open, else over a new
 * association to its configured address ({@link CommitmentReporter}, {@code dicom.commitment-report}).
 */
public final class StorageCommitmentAdapter implements NActionService {
    /** PS3.4 J.3.2.1.1: failure reasons. */
    static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int CLASS_INSTANCE_CONFLICT = 0x0119;

    private final Index index;
    private final RetrieveEngine engine;
    private final AccessControl access;
    private final Function<String, RemoteAeConfig> requestors;
    private final CommitmentReporter reporter;
    /** With {@code sites.commitment: upstream}: where reports wait until the peer holds the instances; else null. */
    private volatile UpstreamCommitment upstream;

    public StorageCommitmentAdapter(Index index, RetrieveEngine engine, AccessControl access,
                                    Function<String, RemoteAeConfig> requestors, CommitmentReporter reporter) {
        this.index = index;
        this.engine = engine;
        this.access = access;
        this.requestors = requestors;
        this.reporter = reporter;
    }

    @Override
    public Dataset action(DimseRequest rq, int actionTypeId, Dataset info, BackChannel back) throws DimseException {
        access.check(AccessConfig.Service.COMMIT, rq);
        if (actionTypeId != 1) {
            throw new DimseException(Status.NO_SUCH_ACTION_TYPE, "storage commitment knows action type 1 only, not " + actionTypeId);
        }
        if (!UID.StorageCommitmentPushModelInstance.equals(rq.sopInstanceUid())) {
            throw new DimseException(Status.NO_SUCH_SOP_INSTANCE, "requested SOP instance must be " + UID.StorageCommitmentPushModelInstance);
        }
        String transaction = info == null ? null : info.getString(Tag.TransactionUID);
        Sequence refs = info == null ? null : info.getSequence(Tag.ReferencedSOPSequence);
        if (transaction == null || transaction.isBlank() || refs == null) {
            throw new DimseException(Status.MISTYPED_ARGUMENT, "Transaction UID and Referenced SOP Sequence are required", Tag.TransactionUID);
        }
        RemoteAeConfig requestor = requestors.apply(rq.callingAeTitle());
        if (requestor == null) {
            throw new DimseException(Status.PROCESSING_FAILURE, "requestor " + rq.callingAeTitle()
                    + " has no address under remote-aes: the result could not be sent");
        }
        List<String[]> items = new ArrayList<>();
        for (Dataset item : refs) {
            items.add(new String[] {item.getString(Tag.ReferencedSOPClassUID), item.getString(Tag.ReferencedSOPInstanceUID)});
        }
        CommitmentJob job = new CommitmentJob(rq.calledAeTitle(), requestor, transaction, items);
        UpstreamCommitment u = upstream;
        if (u != null) {
            u.submit(back, job); // durable before this response goes out
        } else {
            reporter.submit(requestor, rq.calledAeTitle(), back, () -> result(transaction, items), job);
        }
        return null;
    }

    /** From now on, reports wait until the peer holds the instances too ({@code sites.commitment: upstream}). */
    void waitForUpstream(UpstreamCommitment u) {
        this.upstream = u;
    }

    /** Which of these instances (each held here, intact) the upstream archive holds with the same data set bytes. */
    @FunctionalInterface
    public interface HeldUpstream {
        /** @return the SOP Instance UIDs held upstream; an IOException when upstream cannot be asked */
        java.util.Set<String> held(List<StoredInstance> instances) throws java.io.IOException;
    }

    /**
     * The report when every instance held here is held upstream too, else null (not yet; or
     * upstream cannot be asked). An instance not held here fails at once as with local commitment.
     * With {@code giveUp} the report is made anyway: what upstream still lacks fails (0110).
     */
    Report resultHeldUpstream(CommitmentJob job, HeldUpstream peer, boolean giveUp) {
        List<String[]> items = job.items();
        int[] reasons = new int[items.size()];
        List<StoredInstance> here = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Checked c = checked(items.get(i)[0], items.get(i)[1]);
            reasons[i] = c.reason();
            if (c.reason() == 0) {
                here.add(c.instance());
            }
        }
        java.util.Set<String> held;
        try {
            held = here.isEmpty() ? java.util.Set.of() : peer.held(here);
        } catch (java.io.IOException e) {
            held = java.util.Set.of();
        }
        for (int i = 0; i < items.size(); i++) {
            if (reasons[i] == 0 && !held.contains(items.get(i)[1].strip())) {
                if (!giveUp) {
                    return null;
                }
                reasons[i] = PROCESSING_FAILURE; // not held upstream within sites.commitment-max-wait-hours
            }
        }
        return report(job.transactionUid(), items, reasons);
    }

    /** The report of a durable job: the instances are checked when it runs, on whichever node runs it. */
    public Report result(CommitmentJob job) {
        return result(job.transactionUid(), job.items());
    }

    /** The Event Information of the report: event type 1 when all are committed, 2 otherwise. */
    Report result(String transaction, List<String[]> items) {
        int[] reasons = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            reasons[i] = check(items.get(i)[0], items.get(i)[1]);
        }
        return report(transaction, items, reasons);
    }

    private static Report report(String transaction, List<String[]> items, int[] reasons) {
        Dataset ev = new Dataset();
        ev.setString(Tag.TransactionUID, VR.UI, transaction);
        Sequence ok = null;
        Sequence failed = null;
        for (int i = 0; i < items.size(); i++) {
            String[] item = items.get(i);
            int reason = reasons[i];
            Dataset d;
            if (reason == 0) {
                ok = ok == null ? ev.newSequence(Tag.ReferencedSOPSequence) : ok;
                d = ok.addItem();
            } else {
                failed = failed == null ? ev.newSequence(Tag.FailedSOPSequence) : failed;
                d = failed.addItem();
            }
            d.setString(Tag.ReferencedSOPClassUID, VR.UI, item[0] == null ? "" : item[0]);
            d.setString(Tag.ReferencedSOPInstanceUID, VR.UI, item[1] == null ? "" : item[1]);
            if (reason != 0) {
                d.setInt(Tag.FailureReason, VR.US, reason);
            }
        }
        return new Report(failed == null ? 1 : 2, ev);
    }

    /** 0 when the instance is committed, else the failure reason. */
    private int check(String sopClass, String sopInstance) {
        return checked(sopClass, sopInstance).reason();
    }

    /** A check's failure reason (0: committed here) and the instance when found. */
    private record Checked(int reason, StoredInstance instance) {
    }

    private Checked checked(String sopClass, String sopInstance) {
        if (sopInstance == null || sopInstance.isBlank()) {
            return new Checked(NO_SUCH_OBJECT_INSTANCE, null);
        }
        Optional<StoredInstance> found;
        try {
            found = index.read(tx -> tx.instances().find(sopInstance.strip()));
        } catch (RuntimeException e) {
            return new Checked(PROCESSING_FAILURE, null);
        }
        if (found.isEmpty()) {
            return new Checked(NO_SUCH_OBJECT_INSTANCE, null);
        }
        if (sopClass != null && !sopClass.strip().equals(found.get().record().sopClassUid())) {
            return new Checked(CLASS_INSTANCE_CONFLICT, found.get());
        }
        try {
            engine.verifyFully(found.get()); // the full SHA-256, whatever retrieve.verify says
            return new Checked(0, found.get());
        } catch (java.io.IOException e) {
            return new Checked(PROCESSING_FAILURE, found.get());
        }
    }

    /** An N-EVENT-REPORT to send: event type and information. */
    public record Report(int eventTypeId, Dataset eventInformation) {
    }
}
