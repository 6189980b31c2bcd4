package dev.steadfast.web.admin;

import dev.steadfast.archive.admin.StudyNotFoundException;
import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.audit.AuditEvents;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.iocm.Rejection;
import dev.steadfast.archive.iocm.Rejections;
import dev.steadfast.archive.workflow.Correction;
import dev.steadfast.archive.workflow.StudyCorrections;
import dev.steadfast.dicom.json.JsonOut;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Imaging Object Change Management in the admin API (issue 18, admin role like all of {@code /api}):
 * {@code GET /api/rejections} lists what rejection notes hid, with the reason, and
 * {@code PATCH /api/studies/{uid}} corrects a study's patient and request attributes
 * (docs/CLI.md, "Admin API"). Every correction is audited, naming tags, never values.
 */
public final class IocmService {
    private final Rejections rejections;
    private final StudyCorrections corrections;
    private final AccessAudit audit;

    public IocmService(Rejections rejections, StudyCorrections corrections, AccessAudit audit) {
        this.rejections = rejections;
        this.corrections = corrections;
        this.audit = audit == null ? AccessAudit.NONE : audit;
    }

    /** The routes, relative to {@code /api}. */
    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/rejections", guarded(this::list)),
                Route.of("PATCH", "/studies/{study}", guarded(this::correct)));
    }

    private static Route.Service guarded(Route.Service s) {
        return x -> {
            try {
                s.handle(x);
            } catch (IndexException e) {
                throw new HttpError(503, "the index database is unavailable; try again later", e);
            }
        };
    }

    /** {@code ?StudyInstanceUID=&after=&limit=}: rejected instances in SOP Instance UID order; {@code next} is the cursor. */
    void list(Exchange x) throws IOException {
        int limit = AdminService.DEFAULT_LIMIT;
        String l = x.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > Rejections.MAX_PAGE) {
                throw HttpError.badRequest("limit must be a whole number from 1 to " + Rejections.MAX_PAGE);
            }
        }
        List<Rejection> page = rejections.list(x.queryParam("StudyInstanceUID"), x.queryParam("after"), limit);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("rejected").beginArray();
        for (Rejection r : page) {
            j.beginObject().field("sopInstanceUID", r.sopUid()).field("studyInstanceUID", r.studyUid())
                    .field("seriesInstanceUID", r.seriesUid()).field("sopClassUID", r.sopClassUid())
                    .key("reason").beginObject().field("codeValue", r.reason().code()).field("codingSchemeDesignator", "DCM")
                    .field("codeMeaning", r.reason().meaning()).endObject()
                    .field("rejectionNote", r.noteSopUid()).field("rejectedAt", Instant.ofEpochMilli(r.rejectedAt()).toString())
                    .field("rejectedBy", r.rejectedBy()).field("held", r.held())
                    .field("filesDeleted", r.filesDeletedAt() != null).endObject();
        }
        j.endArray().key("next");
        if (page.size() < limit) {
            j.nul();
        } else {
            j.string(page.getLast().sopUid());
        }
        j.endObject();
        send(x, 200, body);
    }

    void correct(Exchange x) throws IOException {
        String uid = x.pathParam("study");
        Correction correction;
        try (InputStream in = x.body()) {
            byte[] raw = in.readNBytes(FlatJsonObject.MAX_CHARS * 4 + 1);
            correction = Correction.of(FlatJsonObject.parse(new String(raw, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        StudyCorrections.Result r;
        try {
            r = corrections.correct(uid, correction);
        } catch (StudyNotFoundException e) {
            throw HttpError.notFound(e.getMessage());
        }
        List<String> tags = r.corrected().stream().map(Correction.Attribute::tagText).toList();
        audit.corrected(new AuditEvents.Actor(x.user() == null ? "anonymous" : x.user(), x.remoteAddress()), uid,
                r.patientId(), tags, "PATCH /api/studies");
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().field("studyInstanceUID", uid).key("corrected").beginArray();
        for (Correction.Attribute a : r.corrected()) {
            j.string(a.keyword());
        }
        j.endArray().field("instancesUpdated", r.instances()).endObject();
        send(x, 200, body);
    }

    private static void send(Exchange x, int status, StringWriter body) throws IOException {
        x.status(status);
        x.setHeader("Cache-Control", "no-store");
        try (OutputStream out = x.open("application/json", true)) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

}
