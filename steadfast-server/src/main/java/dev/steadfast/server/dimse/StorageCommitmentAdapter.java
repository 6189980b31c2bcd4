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
        reporter.submit(requestor, rq.calledAeTitle(), back, () -> result(transaction, items),
                new CommitmentJob(rq.calledAeTitle(), requestor, transaction, items));
        return null;
    }

    /** The report of a durable job: the instances are checked when it runs, on whichever node runs it. */
    public Report result(CommitmentJob job) {
        return result(job.transactionUid(), job.items());
    }

    /** The Event Information of the report: event type 1 when all are committed, 2 otherwise. */
    Report result(String transaction, List<String[]> items) {
        Dataset ev = new Dataset();
        ev.setString(Tag.TransactionUID, VR.UI, transaction);
        Sequence ok = null;
        Sequence failed = null;
        for (String[] item : items) {
            int reason = check(item[0], item[1]);
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
        if (sopInstance == null || sopInstance.isBlank()) {
            return NO_SUCH_OBJECT_INSTANCE;
        }
        Optional<StoredInstance> found;
        try {
            found = index.read(tx -> tx.instances().find(sopInstance.strip()));
        } catch (RuntimeException e) {
            return PROCESSING_FAILURE;
        }
        if (found.isEmpty()) {
            return NO_SUCH_OBJECT_INSTANCE;
        }
        if (sopClass != null && !sopClass.strip().equals(found.get().record().sopClassUid())) {
            return CLASS_INSTANCE_CONFLICT;
        }
        try {
            engine.verifyFully(found.get()); // the full SHA-256, whatever retrieve.verify says
            return 0;
        } catch (java.io.IOException e) {
            return PROCESSING_FAILURE;
        }
    }

    /** An N-EVENT-REPORT to send: event type and information. */
    public record Report(int eventTypeId, Dataset eventInformation) {
    }
}
