package dev.steadfast.web;

import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.web.imaging.Imaging;
import dev.steadfast.web.imaging.StandardImaging;

import java.util.Objects;

/** The archive services DICOMweb is a front door to, built and owned by the caller. */
public record ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve, Imaging imaging,
                              dev.steadfast.archive.audit.AccessAudit audit) {
    public ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve, Imaging imaging) {
        this(ingest, query, retrieve, imaging, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    public ArchiveServices {
        audit = audit == null ? dev.steadfast.archive.audit.AccessAudit.NONE : audit;
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(retrieve, "retrieve");
        Objects.requireNonNull(imaging, "imaging");
    }

    /** With the imaging module's transcoder and renderer ({@link StandardImaging}). */
    public ArchiveServices(IngestService ingest, QueryEngine query, RetrieveEngine retrieve) {
        this(ingest, query, retrieve, new StandardImaging());
    }
}
