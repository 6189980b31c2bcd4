package dev.steadfast.server.dimse;

import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.audit.AuditEvents.Actor;
import dev.steadfast.archive.ingest.IngestService;
import java.util.Map;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.net.dimse.CStoreService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.config.AccessConfig;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Storage SCP: C-STORE into the archive's ingest; success only once the instance is durable and indexed. */
public final class StoreAdapter implements CStoreService {
    private static final Logger LOG = LoggerFactory.getLogger(StoreAdapter.class);

    private final IngestService ingest;
    private final AccessControl access;
    private final NodeMetrics metrics;

    private final AccessAudit audit;

    public StoreAdapter(IngestService ingest, AccessControl access, NodeMetrics metrics) {
        this(ingest, access, metrics, AccessAudit.NONE);
    }

    public StoreAdapter(IngestService ingest, AccessControl access, NodeMetrics metrics, AccessAudit audit) {
        this.ingest = ingest;
        this.access = access;
        this.metrics = metrics;
        this.audit = audit;
    }

    @Override
    public Status store(DimseRequest rq, InputStream data) throws DimseException {
        access.check(AccessConfig.Service.STORE, rq); // a refusal is audited there
        StoreResult r;
        try {
            r = ingest.store(data, rq.transferSyntaxUid(), rq.callingAeTitle());
        } catch (IngestException e) {
            DimseException d = StatusTable.toDimse(e);
            if (e.kind() == IngestException.Kind.DUPLICATE_REJECTED) {
                audit.refused(new Actor(rq.callingAeTitle(), rq.remoteAddress()), false,
                        "different content under the stored SOP Instance UID " + rq.sopInstanceUid(), Map.of());
            }
            metrics.storeFailed(d.status());
            // UIDs only: never patient names or IDs in the log.
            LOG.warn("C-STORE from {} of {} refused with {}: {}", rq.callingAeTitle(), rq.sopInstanceUid(), d.status(), e.getMessage());
            throw d;
        }
        if (!r.sopInstanceUid().equals(rq.sopInstanceUid())) {
            LOG.warn("C-STORE from {}: command names instance {} but the data set is {} (stored as the data set says)",
                    rq.callingAeTitle(), rq.sopInstanceUid(), r.sopInstanceUid());
        }
        metrics.stored(r.size());
        audit.stored(new Actor(rq.callingAeTitle(), rq.remoteAddress()), r);
        // A warning (keep-first) is an answer like success: returned, not thrown. Ingest logged why.
        return StatusTable.of(r.outcome());
    }
}
