package dev.steadfast.server.dimse;

import dev.steadfast.archive.workflow.Worklist;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.server.config.AccessConfig;
import java.io.IOException;

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

    @Override
    public void find(DimseRequest rq, Dataset identifier, FindResponder responder) throws DimseException, IOException {
        access.check(AccessConfig.Service.FIND, rq);
        FindStreaming.answer(rq, identifier, responder, audit, answers -> worklist.find(identifier, answers));
    }
}
