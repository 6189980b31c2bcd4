package dev.steadfast.web.admin;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.dicom.json.JsonOut;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.Route;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The inventory a peer site compares with its own (issue 17, {@code steadfast reconcile}), under
 * {@code /api/inventory}: study digests a page at a time, then series digests and instances only
 * for the studies whose digests differ, and the deletions (tombstones) so that nothing deleted on
 * one site comes back from the other. docs/DEPLOYMENT.md, "Second site".
 */
public final class InventoryService {
    private final Inventory inventory;

    public InventoryService(Inventory inventory) {
        this.inventory = inventory;
    }

    /** The routes, relative to {@code /api}. */
    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/inventory/studies", guarded(this::studies)),
                Route.of("GET", "/inventory/studies/{study}/series", guarded(this::series)),
                Route.of("GET", "/inventory/studies/{study}/series/{series}/instances", guarded(this::instances)),
                Route.of("GET", "/inventory/deletions", guarded(this::deletions)),
                Route.of("GET", "/inventory/studies/{study}/rejections", guarded(this::rejections)));
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

    /** {@code ?after=UID&limit=N}: the next page in UID order; {@code next} is the cursor, null after the last page. */
    void studies(Exchange x) throws IOException {
        int limit = limit(x);
        List<Inventory.StudyDigest> page = inventory.studies(x.queryParam("after"), limit);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("studies").beginArray();
        for (Inventory.StudyDigest s : page) {
            j.beginObject().field("studyInstanceUID", s.studyUid()).field("patientID", s.patientId())
                    .field("instances", s.instances()).field("digest", s.digest()).field("lastReceived", s.lastReceived())
                    .endObject();
        }
        j.endArray().key("next");
        if (page.size() < limit) {
            j.nul();
        } else {
            j.string(page.get(page.size() - 1).studyUid());
        }
        j.endObject();
        send(x, body);
    }

    void series(Exchange x) throws IOException {
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().field("studyInstanceUID", x.pathParam("study")).key("series").beginArray();
        for (Inventory.SeriesDigest s : inventory.series(x.pathParam("study"))) {
            j.beginObject().field("seriesInstanceUID", s.seriesUid()).field("instances", s.instances())
                    .field("digest", s.digest()).endObject();
        }
        j.endArray().endObject();
        send(x, body);
    }

    void instances(Exchange x) throws IOException {
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("instances").beginArray();
        for (Inventory.Entry e : inventory.instances(x.pathParam("study"), x.pathParam("series"))) {
            j.beginObject().field("sopInstanceUID", e.sopUid()).field("sha256", e.sha256())
                    .field("datasetSha256", e.datasetSha256()).field("size", e.size()).endObject();
        }
        j.endArray().endObject();
        send(x, body);
    }

    /** The SOP Instance UIDs of the study that rejection notes rejected here (issue 18): reconcile copies none of them. */
    void rejections(Exchange x) throws IOException {
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().field("studyInstanceUID", x.pathParam("study")).key("rejected").beginArray();
        for (String sop : inventory.rejected(x.pathParam("study"))) {
            j.string(sop);
        }
        j.endArray().endObject();
        send(x, body);
    }

    /** {@code ?after=ID&limit=N}: deletions recorded after that id, oldest first. */
    void deletions(Exchange x) throws IOException {
        long after = 0;
        String a = x.queryParam("after");
        if (a != null) {
            try {
                after = Long.parseLong(a.strip());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("after must be a deletion id, not '" + a + "'");
            }
        }
        int limit = limit(x);
        List<Inventory.Tombstone> page = inventory.tombstones(after, limit);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("deletions").beginArray();
        for (Inventory.Tombstone t : page) {
            j.beginObject().field("id", t.id()).field("studyInstanceUID", t.studyUid()).field("deletedAt", t.deletedAt()).endObject();
        }
        j.endArray().key("next");
        if (page.size() < limit) {
            j.nul();
        } else {
            j.number(page.get(page.size() - 1).id());
        }
        j.endObject();
        send(x, body);
    }

    private static int limit(Exchange x) {
        String v = x.queryParam("limit");
        if (v == null) {
            return Inventory.MAX_PAGE;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= Inventory.MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("limit must be a whole number from 1 to " + Inventory.MAX_PAGE + ", not '" + v + "'");
    }

    private static void send(Exchange x, StringWriter body) throws IOException {
        x.status(200);
        x.setHeader("Cache-Control", "no-store");
        try (OutputStream out = x.open("application/json", true)) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
