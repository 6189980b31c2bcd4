package dev.steadfast.web.admin;

import dev.steadfast.archive.admin.ArchiveStatistics;
import dev.steadfast.archive.admin.DeletionRefusedException;
import dev.steadfast.archive.admin.StudyCatalog;
import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.admin.StudyNotFoundException;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryLimitException;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.JsonOut;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.Route;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The admin REST API under {@code /api} (docs/DEPLOYMENT.md, "Admin REST API"): statistics, the
 * list of studies and one study's details, and deletion of a study with a reason, which is off
 * unless {@code api.delete-enabled} is set. Answers and errors are JSON.
 */
public final class AdminService {
    /** Filters of {@code GET /api/studies}: query parameter, matched attribute, its VR. */
    private record Filter(int tag, VR vr) {
    }

    private static final Map<String, Filter> FILTERS = Map.of(
            "PatientID", new Filter(Tag.PatientID, VR.LO),
            "StudyDate", new Filter(Tag.StudyDate, VR.DA),
            "Modality", new Filter(Tag.ModalitiesInStudy, VR.CS),
            "AccessionNumber", new Filter(Tag.AccessionNumber, VR.SH),
            "StudyInstanceUID", new Filter(Tag.StudyInstanceUID, VR.UI),
            "StudyDescription", new Filter(Tag.StudyDescription, VR.LO));
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_REASON = 1024;

    private final AdminApi api;

    public AdminService(AdminApi api) {
        this.api = api;
    }

    /** The routes, relative to {@code /api}. */
    public List<Route> routes() {
        List<Route> routes = new java.util.ArrayList<>(List.of(
                Route.of("GET", "/statistics", guarded(this::statistics)),
                Route.of("GET", "/studies", guarded(this::studies)),
                Route.of("GET", "/studies/{study}", guarded(this::study)),
                Route.of("DELETE", "/studies/{study}", guarded(this::delete)),
                Route.of("GET", "/hl7/dead-letters", guarded(this::deadLetters)),
                Route.of("GET", "/cluster", guarded(this::cluster))));
        for (Route r : new ForwardingService(api.forwarding()).routes()) { // issue 17
            routes.add(Route.of(r.method(), r.template(), guarded(r.service())));
        }
        return List.copyOf(routes);
    }

    /** Archive failures as HTTP statuses: a bad filter is the client's, an unreachable index is temporary. */
    private static Route.Service guarded(Route.Service s) {
        return x -> {
            try {
                s.handle(x);
            } catch (InvalidQueryException e) {
                throw HttpError.badRequest(e.getMessage());
            } catch (QueryLimitException e) {
                throw new HttpError(503, e.getMessage(), e); // past the query time limit, or the query pool is full
            } catch (IndexException e) {
                throw new HttpError(503, "the index database is unavailable; try again later", e);
            }
        };
    }

    void statistics(Exchange x) throws IOException {
        ArchiveStatistics.Counts c = api.statistics().count();
        AdminApi.StorageState s = api.storage().get();
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject()
                .field("patients", c.patients())
                .field("studies", c.studies())
                .field("series", c.series())
                .field("instances", c.instances())
                .field("storedBytes", c.bytes())
                .key("journal").beginObject().field("backlog", s.journalBacklog()).endObject()
                .key("storage").beginObject().field("policy", s.policy()).key("targets").beginArray();
        for (AdminApi.TargetState t : s.targets()) {
            j.beginObject().field("name", t.name()).field("up", t.up()).field("circuit", t.circuit())
                    .field("pendingRepairs", t.pendingRepairs());
            if (t.totalBytes() >= 0) {
                j.field("freeBytes", t.freeBytes()).field("totalBytes", t.totalBytes());
            }
            j.endObject();
        }
        j.endArray().endObject().endObject();
        send(x, 200, body);
    }

    /** The nodes sharing this index, their state and last heartbeat (read role: monitoring may poll it). */
    void cluster(Exchange x) throws IOException {
        if (api.cluster() == null) {
            throw new HttpError(404, "no cluster membership on this node", null);
        }
        AdminApi.ClusterView v = api.cluster().get();
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject()
                .field("self", v.self())
                .field("nodeTimeoutSeconds", v.nodeTimeout().toSeconds())
                .key("nodes").beginArray();
        for (dev.steadfast.archive.cluster.ClusterNode n : v.nodes()) {
            j.beginObject().field("nodeId", n.nodeId()).field("state", n.state().label()).field("version", n.version())
                    .field("started", n.started().toString()).field("lastHeartbeat", n.lastHeartbeat().toString());
            if (n.dicomEndpoint() != null) {
                j.field("dicom", n.dicomEndpoint());
            }
            if (n.httpEndpoint() != null) {
                j.field("http", n.httpEndpoint());
            }
            j.endObject();
        }
        j.endArray().endObject();
        send(x, 200, body);
    }

    /** HL7 messages answered AE, newest first, with the reason (issue 18, docs/HL7.md). */
    void deadLetters(Exchange x) throws IOException {
        if (api.deadLetters() == null) {
            throw HttpError.notFound("HL7 is not enabled (hl7.port)");
        }
        int limit = DEFAULT_LIMIT;
        for (Map.Entry<String, String> p : x.queryParams()) {
            if (p.getKey().equals("limit")) {
                limit = number("limit", p.getValue(), 1, MAX_LIMIT);
            } else {
                throw HttpError.badRequest("unknown parameter " + p.getKey() + " (limit)");
            }
        }
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginArray();
        for (dev.steadfast.archive.workflow.DeadLetter d : api.deadLetters().list(limit)) {
            j.beginObject().field("id", d.id()).field("receivedAt", java.time.Instant.ofEpochMilli(d.receivedAt()).toString())
                    .field("messageType", d.messageType()).field("controlId", d.controlId()).field("reason", d.reason())
                    .field("message", d.message()).endObject();
        }
        j.endArray();
        send(x, 200, body);
    }

    void studies(Exchange x) throws IOException {
        Dataset filters = new Dataset();
        int limit = DEFAULT_LIMIT;
        int offset = 0;
        StudyCatalog.Sort sort = StudyCatalog.Sort.RECEIVED;
        boolean descending = true;
        for (Map.Entry<String, String> p : x.queryParams()) {
            String v = p.getValue();
            switch (p.getKey()) {
                case "limit" -> limit = number("limit", v, 1, MAX_LIMIT);
                case "offset" -> offset = number("offset", v, 0, Integer.MAX_VALUE);
                case "sort" -> sort = switch (v) {
                    case "received" -> StudyCatalog.Sort.RECEIVED;
                    case "studyDate" -> StudyCatalog.Sort.STUDY_DATE;
                    default -> throw HttpError.badRequest("sort must be received or studyDate, not '" + v + "'");
                };
                case "order" -> descending = switch (v) {
                    case "desc" -> true;
                    case "asc" -> false;
                    default -> throw HttpError.badRequest("order must be asc or desc, not '" + v + "'");
                };
                default -> {
                    Filter f = FILTERS.get(p.getKey());
                    if (f == null) {
                        throw HttpError.badRequest("unknown parameter '" + p.getKey() + "'; filters are "
                                + String.join(", ", FILTERS.keySet().stream().sorted().toList())
                                + ", and limit, offset, sort, order");
                    }
                    filters.setString(f.tag(), f.vr(), v);
                }
            }
        }
        StudyCatalog.Page page = api.catalog().list(filters, sort, descending, offset, limit);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject()
                .field("total", page.total())
                .field("offset", offset)
                .field("limit", limit)
                .field("sort", sort == StudyCatalog.Sort.RECEIVED ? "received" : "studyDate")
                .field("order", descending ? "desc" : "asc")
                .key("studies").beginArray();
        for (StudyCatalog.StudySummary s : page.studies()) {
            study(j.beginObject(), s).endObject();
        }
        j.endArray().endObject();
        send(x, 200, body);
    }

    void study(Exchange x) throws IOException {
        String uid = x.pathParam("study");
        StudyCatalog.StudyDetails d = api.catalog().study(uid)
                .orElseThrow(() -> HttpError.notFound("no study " + uid));
        StringWriter body = new StringWriter();
        JsonOut j = study(new JsonOut(body, false).beginObject(), d.study()).key("series").beginArray();
        for (StudyCatalog.SeriesSummary s : d.series()) {
            j.beginObject().field("seriesInstanceUID", s.seriesUid())
                    .field("seriesNumber", s.number())
                    .field("modality", s.modality())
                    .field("seriesDescription", s.description())
                    .field("bodyPartExamined", s.bodyPart())
                    .field("numberOfInstances", s.instances())
                    .field("sizeBytes", s.bytes())
                    .field("lastReceived", time(s.lastReceived()))
                    .endObject();
        }
        j.endArray().endObject();
        send(x, 200, body);
    }

    void delete(Exchange x) throws IOException {
        if (!api.deleteEnabled()) {
            throw new HttpError(403, "deleting studies is disabled; set " + AdminApi.DELETE_KEY + ": true in the"
                    + " configuration (or " + AdminApi.DELETE_ENV + "=true) to enable it");
        }
        String uid = x.pathParam("study");
        String reason = x.queryParam("reason");
        if (reason == null || reason.isBlank()) {
            throw HttpError.badRequest("a reason is required: DELETE /api/studies/{uid}?reason=...");
        }
        if (reason.length() > MAX_REASON) {
            throw HttpError.badRequest("the reason is longer than " + MAX_REASON + " characters");
        }
        // The audit record names the authenticated user when there is one (issue 14), and always the address.
        String who = "http " + (x.user() == null ? "" : x.user() + "@") + x.remoteAddress();
        StudyDeletion.Result r;
        try {
            r = api.deletion().delete(uid, who, reason);
        } catch (StudyNotFoundException e) {
            throw HttpError.notFound(e.getMessage());
        } catch (DeletionRefusedException e) {
            throw new HttpError(409, e.getMessage());
        }
        api.audit().deleted(new dev.steadfast.archive.audit.AuditEvents.Actor(x.user() == null ? "anonymous" : x.user(),
                        x.remoteAddress()),
                new dev.steadfast.archive.audit.AuditEvents.StudyRef(r.studyUid(), null, null, java.util.Map.of()), reason.strip());
        StringWriter body = new StringWriter();
        new JsonOut(body, false).beginObject()
                .field("studyInstanceUID", r.studyUid())
                .field("deleted", true)
                .field("numberOfSeries", r.seriesUids().size())
                .field("numberOfInstances", r.sopUids().size())
                .field("sizeBytes", r.bytes())
                .field("deletedAt", time(r.deletedAt()))
                .field("deletedBy", who)
                .field("reason", reason.strip())
                .field("copiesLeftForScrub", r.storageFailures())
                .endObject();
        send(x, 200, body);
    }

    private static JsonOut study(JsonOut j, StudyCatalog.StudySummary s) throws IOException {
        j.field("studyInstanceUID", s.studyUid())
                .field("studyDate", s.date())
                .field("studyTime", s.time())
                .field("studyDescription", s.description())
                .key("modalities").beginArray();
        for (String m : s.modalities()) {
            j.string(m);
        }
        return j.endArray()
                .field("numberOfSeries", s.series())
                .field("numberOfInstances", s.instances())
                .field("sizeBytes", s.bytes())
                .field("firstReceived", time(s.firstReceived()))
                .field("lastReceived", time(s.lastReceived()));
    }

    /** Epoch milliseconds as an ISO-8601 UTC instant; 0 or less (never) as null. */
    private static String time(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    private static int number(String name, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest(name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    private static void send(Exchange x, int status, StringWriter body) throws IOException {
        x.status(status);
        x.setHeader("Cache-Control", "no-store");
        try (OutputStream out = x.open("application/json", true)) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
