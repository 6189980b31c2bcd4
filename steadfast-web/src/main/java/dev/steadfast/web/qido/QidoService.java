package dev.steadfast.web.qido;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryLimitException;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.web.http.DicomBodies;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.wado.Urls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * QIDO-RS (PS3.18 10.6) at its six paths, through the same query engine as C-FIND. No query
 * returns more than the configured maximum: past it the answer is cut and says so in a Warning
 * header (PS3.18 10.6.3.3.1), and the client pages on with offset.
 */
public final class QidoService {
    static final String TRUNCATED = "The number of results exceeded the maximum supported by the server."
            + " Additional results can be requested.";

    private final QueryEngine engine;
    private final int maxResults;

    private dev.steadfast.archive.audit.AccessAudit audit = dev.steadfast.archive.audit.AccessAudit.NONE;

    /** Reports every query to the audit trail (before the service is routed). */
    public QidoService audited(dev.steadfast.archive.audit.AccessAudit a) {
        this.audit = a;
        return this;
    }

    public QidoService(QueryEngine engine, int maxResults) {
        this.engine = engine;
        this.maxResults = maxResults;
    }

    public void studies(Exchange x) throws IOException {
        search(x, QueryLevel.STUDY);
    }

    public void series(Exchange x) throws IOException {
        search(x, QueryLevel.SERIES);
    }

    public void instances(Exchange x) throws IOException {
        search(x, QueryLevel.IMAGE);
    }

    private void search(Exchange x, QueryLevel level) throws IOException {
        String mediaType = responseType(x);
        QidoQuery q;
        try {
            q = QidoQuery.parse(level, x.pathParamOrNull("study"), x.pathParamOrNull("series"), x.queryParams());
        } catch (InvalidQueryException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        QueryRequest r = q.request();
        boolean capped = r.limit() == 0 || r.limit() > maxResults;
        int limit = capped ? maxResults : r.limit();
        List<Dataset> matches = new ArrayList<>(Math.min(limit + 1, 1024));
        boolean answered = false;
        try {
            // One more than allowed tells whether the cap cut anything off.
            engine.query(r.withPage(r.offset(), capped ? limit + 1 : limit), matches::add);
            answered = true;
        } catch (InvalidQueryException e) {
            throw HttpError.badRequest(e.getMessage());
        } catch (QueryLimitException e) {
            // Past the time limit, or the query pool is full: PS3.18 8.6.1 "503 Busy", try again later.
            throw new HttpError(503, e.getMessage(), e);
        } catch (IndexException e) {
            // The database is down (ingest still journals): a temporary refusal, not a server bug.
            if (e.isTransient()) {
                throw new HttpError(503, "index database unavailable; try again later", e);
            }
            throw e;
        } finally {
            audit(x, level, !answered);
        }
        if (capped && matches.size() > limit) {
            matches.removeLast();
            x.warning(TRUNCATED);
        }
        if (q.fuzzy()) {
            x.warning("fuzzymatching: person names matched by prefix, ignoring case");
        }
        x.status(200);
        try (DicomBodies.Stream out = DicomBodies.stream(x, mediaType, JsonOptions.DEFAULT)) {
            for (Dataset match : matches) {
                out.add(complete(match, level, x.baseUrl(), q.includeAll()));
            }
        }
    }

    /** The query as sent (its path and parameters) is the audit message's participant object (PS3.15 A.5.3.10). */
    private void audit(Exchange x, QueryLevel level, boolean failed) {
        StringBuilder q = new StringBuilder(x.path());
        char sep = '?';
        for (var p : x.queryParams()) {
            q.append(sep).append(p.getKey()).append('=').append(p.getValue() == null ? "" : p.getValue());
            sep = '&';
        }
        audit.queried(new dev.steadfast.archive.audit.AuditEvents.Actor(x.user() == null ? "DICOMWEB" : x.user(),
                x.remoteAddress()), "QIDO-RS " + level, q.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), failed);
    }

    /** Fills in what the index cannot know (RetrieveURL, availability) and drops empty extras of includefield=all. */
    static Dataset complete(Dataset match, QueryLevel level, String base, boolean includeAll) {
        String study = match.getString(Tag.StudyInstanceUID);
        String series = match.getString(Tag.SeriesInstanceUID);
        String sop = match.getString(Tag.SOPInstanceUID);
        if (match.contains(Tag.RetrieveURL) && study != null) {
            match.setString(Tag.RetrieveURL, VR.UR, switch (level) {
                case IMAGE -> Urls.instance(base, study, series, sop);
                case SERIES -> Urls.series(base, study, series);
                default -> Urls.study(base, study);
            });
        }
        if (match.contains(Tag.InstanceAvailability)) {
            match.setString(Tag.InstanceAvailability, VR.CS, "ONLINE");
        }
        if (includeAll) {
            for (Element e : List.copyOf(toList(match))) {
                if (e.isEmpty() && !DefaultKeys.isDefault(level, e.tag())) {
                    match.remove(e.tag());
                }
            }
        }
        return match;
    }

    private static List<Element> toList(Dataset ds) {
        List<Element> out = new ArrayList<>(ds.size());
        ds.forEach(out::add);
        return out;
    }

    /** application/dicom+json (the default), plain JSON, or multipart/related of application/dicom+xml. */
    private static String responseType(Exchange x) {
        List<MediaType> accept = x.accept();
        if (accept.isEmpty()) {
            return DicomBodies.JSON;
        }
        for (MediaType m : accept) {
            if (m.admits(DicomBodies.JSON)) {
                return DicomBodies.JSON;
            }
            if (m.essence().equals("application/json")) {
                return "application/json";
            }
            if (m.essence().equals(DicomBodies.XML) || m.essence().equals("multipart/related")
                    && (m.param("type") == null || m.param("type").equalsIgnoreCase(DicomBodies.XML))) {
                return DicomBodies.XML;
            }
        }
        throw HttpError.notAcceptable("QIDO-RS answers in application/dicom+json or"
                + " multipart/related; type=\"application/dicom+xml\"");
    }
}
