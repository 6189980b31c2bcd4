package dev.steadfast.server.workflow;

import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.workflow.Availability;
import dev.steadfast.archive.workflow.MppsRefusal;
import dev.steadfast.archive.workflow.MppsStore;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.net.dimse.NCreateService;
import dev.steadfast.net.dimse.NSetService;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.config.AccessConfig;
import dev.steadfast.server.dimse.AccessControl;

/**
 * Modality Performed Procedure Step SCP (PS3.4 Annex F, SOP class 1.2.840.10008.3.1.2.3.3):
 * N-CREATE and N-SET on the index ({@link MppsStore}). Who may send it is who may store
 * ({@code access.store}): the modalities. Each operation, accepted or refused, is audited as a
 * "Procedure Record" (PS3.15 A.5.3.7; action C or U).
 */
public final class MppsAdapter implements NCreateService, NSetService {
    private final MppsStore store;
    private final AccessControl access;
    /** Told after each accepted change: the outbox has something new. */
    private final Runnable changed;
    private final AccessAudit audit;

    public MppsAdapter(MppsStore store, AccessControl access, Runnable changed) {
        this(store, access, changed, AccessAudit.NONE);
    }

    public MppsAdapter(MppsStore store, AccessControl access, Runnable changed, AccessAudit audit) {
        this.store = store;
        this.access = access;
        this.changed = changed;
        this.audit = audit == null ? AccessAudit.NONE : audit;
    }

    @Override
    public Created create(DimseRequest rq, String sopInstanceUid, Dataset attributes) throws DimseException {
        access.check(AccessConfig.Service.STORE, rq);
        String uid = sopInstanceUid != null ? sopInstanceUid : Availability.newUid(); // PS3.7 10.1.5.1.3: the SCP may choose it
        MppsStore.Mpps done;
        try {
            done = store.create(uid, attributes);
        } catch (MppsRefusal e) {
            record(rq, 'C', uid, attributes, null, e.getMessage());
            throw toDimse(e);
        } catch (IndexException e) {
            record(rq, 'C', uid, attributes, null, "index unavailable");
            throw new DimseException(Status.PROCESSING_FAILURE, "index unavailable, send it again later", -1, e);
        }
        record(rq, 'C', uid, done.attributes(), done.status(), null);
        changed.run();
        return new Created(uid, null);
    }

    @Override
    public Dataset set(DimseRequest rq, String sopInstanceUid, Dataset modifications) throws DimseException {
        access.check(AccessConfig.Service.STORE, rq);
        MppsStore.Mpps done;
        try {
            done = store.set(sopInstanceUid, modifications);
        } catch (MppsRefusal e) {
            record(rq, 'U', sopInstanceUid, modifications, null, e.getMessage());
            throw toDimse(e);
        } catch (IndexException e) {
            record(rq, 'U', sopInstanceUid, modifications, null, "index unavailable");
            throw new DimseException(Status.PROCESSING_FAILURE, "index unavailable, send it again later", -1, e);
        }
        record(rq, 'U', sopInstanceUid, done.attributes(), done.status(), null);
        changed.run();
        return null;
    }

    /** The audit record: identifiers from the step's attributes (stored ones when accepted, as sent when refused). */
    private void record(DimseRequest rq, char action, String uid, Dataset d, String status, String refusal) {
        String study = null;
        String accession = null;
        Sequence steps = d.getSequence(Tag.ScheduledStepAttributesSequence);
        if (steps != null && steps.size() > 0) {
            study = steps.get(0).getString(Tag.StudyInstanceUID);
            accession = steps.get(0).getString(Tag.AccessionNumber);
        }
        audit.procedureRecorded(new AuditEvents.Actor(rq.callingAeTitle(), rq.remoteAddress()), action, uid, study, accession,
                d.getString(Tag.PatientID), status, refusal != null, refusal);
    }

    /** The stored step, or null (operators, tests). */
    public MppsStore.Mpps find(String sopUid) {
        return store.find(sopUid);
    }

    /** The statuses of PS3.4 F.7.2.1.3 and F.7.2.2.3. */
    static DimseException toDimse(MppsRefusal e) {
        Status s = switch (e.reason()) {
            case INVALID_ATTRIBUTE_VALUE -> Status.INVALID_ATTRIBUTE_VALUE;
            case MISSING_ATTRIBUTE -> Status.MISSING_ATTRIBUTE;
            case MISSING_ATTRIBUTE_VALUE -> Status.MISSING_ATTRIBUTE_VALUE;
            case DUPLICATE_SOP_INSTANCE -> Status.DUPLICATE_SOP_INSTANCE;
            case NO_SUCH_SOP_INSTANCE -> Status.NO_SUCH_SOP_INSTANCE;
            case NO_LONGER_UPDATABLE -> Status.PROCESSING_FAILURE;
        };
        DimseException d = new DimseException(s, e.getMessage(), e.tag(), e);
        // PS3.4 Table F.7.2-2: the Error ID of "may no longer be updated".
        return e.reason() == MppsRefusal.Reason.NO_LONGER_UPDATABLE ? d.withErrorId(0xA710) : d;
    }
}
