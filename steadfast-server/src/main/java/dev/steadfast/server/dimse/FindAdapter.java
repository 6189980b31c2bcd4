package dev.steadfast.server.dimse;

import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.server.config.AccessConfig;
import java.io.IOException;

/**
 * Query SCP for one information model (Patient Root or Study Root FIND) on the one query engine.
 * Pending responses are written from the engine's consumer, which it calls between pages, outside
 * any index transaction: a requestor that reads slowly holds no database connection (issue 12).
 */
public final class FindAdapter implements CFindService {
    private final QueryEngine engine;
    private final InformationModel model;
    private final AccessControl access;

    private final dev.steadfast.archive.audit.AccessAudit audit;

    public FindAdapter(QueryEngine engine, InformationModel model, AccessControl access) {
        this(engine, model, access, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    public FindAdapter(QueryEngine engine, InformationModel model, AccessControl access,
                       dev.steadfast.archive.audit.AccessAudit audit) {
        this.engine = engine;
        this.model = model;
        this.access = access;
        this.audit = audit;
    }

    @Override
    public void find(DimseRequest rq, Dataset identifier, FindResponder responder) throws DimseException, IOException {
        access.check(AccessConfig.Service.FIND, rq);
        QueryRequest request;
        try {
            request = QueryRequest.of(model, QueryLevel.of(identifier.getString(Tag.QueryRetrieveLevel)), identifier);
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        }
        FindStreaming.answer(rq, identifier, responder, audit, answers -> engine.query(request, answers));
    }
}
