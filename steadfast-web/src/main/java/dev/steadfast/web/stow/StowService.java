package dev.steadfast.web.stow;

import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestOutcome;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.web.http.DicomBodies;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.http.Negotiation;
import dev.steadfast.web.multipart.MalformedMultipartException;
import dev.steadfast.web.multipart.MultipartReader;

import java.io.IOException;
import java.io.InputStream;

/**
 * STOW-RS (PS3.18 10.5): {@code POST /studies[/{study}]} with a multipart/related body of
 * application/dicom parts, stored one by one as they stream in, or of application/dicom+json
 * metadata with bulk data parts ({@link MetadataStow}). Each instance is acknowledged
 * only once ingest has made it durable and indexed. Status: 200 all stored, 202 some failed or
 * warned, none stored: the HTTP status of the outcome table ({@code IngestOutcome}) when every
 * instance failed the same way (503 out of resources, so clients retry), else 409; 400 malformed
 * body, 415 unsupported media type.
 */
public final class StowService {
    private final IngestService ingest;
    private final String sourceName;

    private dev.steadfast.archive.audit.AccessAudit audit = dev.steadfast.archive.audit.AccessAudit.NONE;

    /** Reports every stored instance to the audit trail (before the service is routed). */
    public StowService audited(dev.steadfast.archive.audit.AccessAudit a) {
        this.audit = a;
        return this;
    }

    public StowService(IngestService ingest, String sourceName) {
        this.ingest = ingest;
        this.sourceName = sourceName;
    }

    public void store(Exchange x) throws IOException {
        String studyInPath = x.pathParamOrNull("study");
        MediaType ct = x.contentType();
        if (ct == null || !ct.essence().equals("multipart/related")) {
            throw HttpError.unsupportedMediaType("STOW-RS takes multipart/related; type=\"application/dicom\", not "
                    + (ct == null ? "a body without Content-Type" : ct.essence()));
        }
        String type = ct.param("type");
        boolean metadata = "application/dicom+json".equalsIgnoreCase(type);
        if (type != null && !type.equalsIgnoreCase("application/dicom") && !metadata) {
            throw HttpError.unsupportedMediaType("multipart/related of type " + type
                    + " is not supported; send type=\"application/dicom\" or \"application/dicom+json\"");
        }
        String boundary = ct.param("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MultipartReader.MAX_BOUNDARY) {
            throw HttpError.badRequest("multipart/related without a valid boundary parameter");
        }
        String responseType = Negotiation.choose(x.accept(), "application/dicom+json", "application/json",
                "application/dicom+xml");

        StowReport report = new StowReport(x.baseUrl(), studyInPath);
        String malformed = null;
        try (InputStream body = x.body()) {
            MultipartReader reader = new MultipartReader(body, boundary);
            if (metadata) {
                malformed = new MetadataStow(ingest, sourceName).store(reader, studyInPath, report);
            }
            MultipartReader.Part part;
            while (!metadata && (part = reader.next()) != null) {
                malformed = storePart(part, studyInPath, report, actor(x));
                if (malformed != null) {
                    break;
                }
            }
        } catch (MalformedMultipartException e) {
            malformed = e.getMessage();
        }
        if (malformed != null && report.storedCount() == 0) {
            throw HttpError.badRequest("malformed multipart body, nothing stored: " + malformed);
        }
        if (report.isEmpty()) {
            throw HttpError.badRequest("the request holds no instances");
        }
        int status = report.failedCount() == 0 && !report.anyWarning() ? 200
                : report.storedCount() == 0 ? report.allFailedStatus() : 202;
        x.status(status);
        if (malformed != null) {
            x.warning("body broken after " + report.storedCount() + " stored instances: " + malformed);
        } else if (status != 200) {
            if (report.failedCount() > 0) {
                x.warning(report.failedCount() + " of " + (report.failedCount() + report.storedCount())
                        + " instances failed");
            }
            report.reasons().forEach(x::warning);
        }
        DicomBodies.write(x, responseType, report.dataset());
    }

    /** Stores one part; returns why the body is broken, or null to go on with the next part. */
    private static dev.steadfast.archive.audit.AuditEvents.Actor actor(Exchange x) {
        return new dev.steadfast.archive.audit.AuditEvents.Actor(x.user() == null ? "DICOMWEB" : x.user(), x.remoteAddress());
    }

    private String storePart(MultipartReader.Part part, String studyInPath, StowReport report,
                             dev.steadfast.archive.audit.AuditEvents.Actor actor) throws IOException {
        MediaType partType = MediaType.parse(part.header("Content-Type"));
        if (partType != null && !partType.essence().equals("application/dicom")) {
            report.failed(null, null, FailureReason.CANNOT_UNDERSTAND, "part of type " + partType.essence());
            return null;
        }
        PartHeader header;
        try {
            header = PartHeader.read(part.body());
        } catch (MalformedMultipartException e) {
            return e.getMessage();
        }
        Dataset ds = header.dataset;
        String sopClass = ds == null ? null : ds.getString(Tag.SOPClassUID);
        String sop = ds == null ? null : ds.getString(Tag.SOPInstanceUID);
        String study = ds == null ? null : ds.getString(Tag.StudyInstanceUID);
        if (studyInPath != null && study != null && !studyInPath.equals(study)) {
            report.failed(sopClass, sop, FailureReason.STUDY_UID_MISMATCH, "Study Instance UID is not the one in the path");
            return null; // the reader skips the rest of the part
        }
        try {
            StoreResult r = ingest.storePart10(header.replay, sourceName);
            report.stored(r);
            audit.stored(actor, r);
            return null;
        } catch (IngestException e) {
            if (e.getCause() instanceof MalformedMultipartException m) {
                report.failed(sopClass, sop, FailureReason.CANNOT_UNDERSTAND, "truncated");
                return m.getMessage();
            }
            report.refused(sopClass, sop, IngestOutcome.of(e.kind()), e.getMessage());
            return null;
        }
    }
}
