package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.workflow.Worklist;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.server.config.AccessConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Modality Worklist SCP (PS3.4 Annex K, SOP class 1.2.840.10008.5.1.4.31) on the orders that HL7
 * placed (issue 18). Who may query it is who may C-FIND ({@code access.find}).
 */
public final class WorklistAdapter implements CFindService {
    private final Worklist worklist;
    private final AccessControl access;
    private final dev.steadfast.archive.audit.AccessAudit audit;

    /** @param audit where each query is recorded (PS3.15 A.5.3.10), as for the query SCP */
    public WorklistAdapter(Worklist worklist, AccessControl access, dev.steadfast.archive.audit.AccessAudit audit) {
        this.worklist = worklist;
        this.access = access;
        this.audit = audit;
    }

    /** Thrown out of the answer consumer to stop when the requestor cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    @Override
    public void find(DimseRequest rq, Dataset identifier, FindResponder responder) throws DimseException, IOException {
        access.check(AccessConfig.Service.FIND, rq);
        boolean answered = false;
        try {
            worklist.find(identifier, match -> {
                try {
                    if (!responder.pending(match)) {
                        throw new Cancelled();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            answered = true;
        } catch (Cancelled e) {
            answered = true; // the framework answers "cancel"
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        } catch (IndexException e) {
            throw StatusTable.toDimse(e);
        } catch (dev.steadfast.archive.query.QueryLimitException e) {
            throw StatusTable.toDimse(e); // past query.timeout-seconds, or the query pool is full
        } finally {
            audit(rq, identifier, !answered);
        }
    }

    /** The identifier as received, Explicit VR Little Endian, is the audit message's query. */
    private void audit(DimseRequest rq, Dataset identifier, boolean failed) {
        byte[] query;
        try {
            query = dev.steadfast.dicom.io.DicomWriter.encode(identifier, dev.steadfast.dicom.UID.ExplicitVRLittleEndian);
        } catch (IOException | RuntimeException e) {
            query = new byte[0];
        }
        audit.queried(new dev.steadfast.archive.audit.AuditEvents.Actor(rq.callingAeTitle(), rq.remoteAddress()),
                rq.sopClassUid(), query, failed);
    }
}
