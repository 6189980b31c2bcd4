package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryLimitException;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.server.config.AccessConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Query SCP for one information model (Patient Root or Study Root FIND) on the one query engine.
 * Pending responses are written from the engine's consumer, which it calls between pages, outside
 * any index transaction: a requestor that reads slowly holds no database connection (issue 12).
 */
public final class FindAdapter implements CFindService {
    private final QueryEngine engine;
    private final InformationModel model;
    private final Set<String> allowed;

    private final dev.steadfast.archive.audit.AccessAudit audit;

    public FindAdapter(QueryEngine engine, InformationModel model, AccessConfig access) {
        this(engine, model, access, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    public FindAdapter(QueryEngine engine, InformationModel model, AccessConfig access,
                       dev.steadfast.archive.audit.AccessAudit audit) {
        this.engine = engine;
        this.model = model;
        this.allowed = access.find();
        this.audit = audit;
    }

    /** The identifier as received, Explicit VR Little Endian, is the audit message's query (PS3.15 A.5.3.10). */
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

    /** Thrown out of the engine's consumer to stop a query the requestor cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    @Override
    public void find(DimseRequest rq, Dataset identifier, FindResponder responder) throws DimseException, IOException {
        if (!AccessConfig.allows(allowed, rq.callingAeTitle())) {
            throw StatusTable.notAuthorized(rq.callingAeTitle(), "query");
        }
        QueryRequest request;
        try {
            request = QueryRequest.of(model, QueryLevel.of(identifier.getString(Tag.QueryRetrieveLevel)), identifier);
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        }
        boolean answered = false;
        try {
            engine.query(request, match -> {
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
            answered = true;
            // the framework answers "cancel"
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        } catch (QueryLimitException e) {
            throw StatusTable.toDimse(e);
        } catch (IndexException e) {
            throw StatusTable.toDimse(e);
        } finally {
            audit(rq, identifier, !answered);
        }
    }
}
