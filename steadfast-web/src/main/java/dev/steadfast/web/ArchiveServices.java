package dev.steadfast.web;

import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.ImagingLimits;
import dev.steadfast.web.imaging.StandardImaging;

import java.util.Objects;

/**
 * The archive services DICOMweb is a front door to, built and owned by the caller. The imaging
 * hook is always {@link StandardImaging}: serve, the web tests and the benchmarks build it through
 * the constructors below, so what is tested is what ships. The server stops it when it stops.
 * {@code audit} hears of every access (issue 14; {@link AccessAudit#NONE} where nothing is audited).
 */
public record ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve, Imaging imaging,
                              AccessAudit audit) {
    public ArchiveServices {
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(retrieve, "retrieve");
        Objects.requireNonNull(imaging, "imaging");
        audit = audit == null ? AccessAudit.NONE : audit;
    }

    /** With the imaging module's transcoder and renderer under the default limits. */
    public ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve) {
        this(ingest, query, retrieve, ImagingLimits.DEFAULT);
    }

    /** With the imaging module's transcoder and renderer under configured limits. */
    public ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve, ImagingLimits limits) {
        this(ingest, query, retrieve, limits, AccessAudit.NONE);
    }

    /** What serve uses: configured imaging limits, and the node's audit trail. */
    public ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve, ImagingLimits limits,
                           AccessAudit audit) {
        this(ingest, query, retrieve, new StandardImaging(limits), audit);
    }
}
