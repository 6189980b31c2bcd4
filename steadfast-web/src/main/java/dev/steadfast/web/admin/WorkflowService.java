package dev.steadfast.web.admin;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.archive.workflow.WorkflowQueues;
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
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/workflow} (issue 18): the workflow outbox per destination ({@code mpps:NAME},
 * {@code ian:NAME}, {@code events}) in the shape of {@code /api/forwarding}: depth, oldest age,
 * dead letters with their reason; pause, resume, retry of dead letters. Everything under
 * {@code /api} needs the {@code admin} role (AccessRules). UIDs and kinds only, never payloads:
 * an MPPS carries patient data.
 */
public final class WorkflowService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowService.class);
    private static final int MAX_ENTRIES = 1000;

    private final WorkflowQueues queues;

    public WorkflowService(WorkflowQueues queues) {
        this.queues = queues;
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/workflow", guarded(this::list)),
                Route.of("GET", "/workflow/{destination}", guarded(this::one)),
                Route.of("POST", "/workflow/{destination}/pause", guarded(x -> pause(x, true))),
                Route.of("POST", "/workflow/{destination}/resume", guarded(x -> pause(x, false))),
                Route.of("POST", "/workflow/{destination}/retry", guarded(this::retry)));
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

    private void list(Exchange x) throws IOException {
        int limit = limit(x, 20);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("destinations").beginArray();
        for (WorkflowOutbox.DestinationState s : queues.states()) {
            destination(j, s, limit);
        }
        j.endArray().endObject();
        send(x, body);
    }

    private void one(Exchange x) throws IOException {
        int limit = limit(x, 100);
        StringWriter body = new StringWriter();
        destination(new JsonOut(body, false), state(x), limit);
        send(x, body);
    }

    private void pause(Exchange x, boolean paused) throws IOException {
        String name = state(x).name();
        queues.pause(name, paused);
        LOG.info("AUDIT workflow deliveries to {} {} by http {}@{}", name, paused ? "paused" : "resumed",
                x.user() == null ? "" : x.user(), x.remoteAddress());
        one(x);
    }

    private void retry(Exchange x) throws IOException {
        String name = state(x).name();
        String id = x.queryParam("id");
        Long entry;
        try {
            entry = id == null ? null : Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("id must be a dead letter's id (a number), not '" + id + "'");
        }
        int n = queues.retry(name, entry);
        if (entry != null && n == 0) {
            throw HttpError.notFound("destination " + name + " has no dead letter " + entry);
        }
        LOG.info("AUDIT workflow to {}: {} dead letters queued again by http {}@{}", name, n,
                x.user() == null ? "" : x.user(), x.remoteAddress());
        StringWriter body = new StringWriter();
        new JsonOut(body, false).beginObject().field("destination", name).field("requeued", n).endObject();
        send(x, body);
    }

    private WorkflowOutbox.DestinationState state(Exchange x) {
        String name = x.pathParam("destination");
        WorkflowOutbox.DestinationState s = queues.state(name);
        if (s == null) {
            throw HttpError.notFound("no workflow destination '" + name + "' (names: mpps:NAME, ian:NAME, events)");
        }
        return s;
    }

    private void destination(JsonOut j, WorkflowOutbox.DestinationState s, int limit) throws IOException {
        long now = System.currentTimeMillis();
        j.beginObject().field("name", s.name())
                .field("paused", s.paused())
                .field("depth", s.depth())
                .field("oldestAgeSeconds", s.depth() == 0 ? 0 : Math.max(0, (now - s.oldestEnqueuedAt()) / 1000))
                .field("deadLetters", s.deadLetters())
                .field("headAttempts", s.headAttempts());
        if (s.lastError() != null) {
            j.field("lastError", s.lastError());
        }
        entries(j.key("waiting"), queues.entries(s.name(), false, limit));
        entries(j.key("deadLetterEntries"), queues.entries(s.name(), true, limit));
        j.endObject();
    }

    private static void entries(JsonOut j, List<WorkflowOutbox.Entry> entries) throws IOException {
        j.beginArray();
        for (WorkflowOutbox.Entry e : entries) {
            j.beginObject().field("id", e.id())
                    .field("kind", e.kind().name().toLowerCase(Locale.ROOT))
                    .field("sopInstanceUID", e.sopUid())
                    .field("enqueuedAt", Instant.ofEpochMilli(e.enqueuedAt()).toString())
                    .field("attempts", e.attempts());
            if (e.lastError() != null) {
                j.field("reason", e.lastError());
            }
            j.endObject();
        }
        j.endArray();
    }

    private static int limit(Exchange x, int dflt) {
        String v = x.queryParam("limit");
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0 && n <= MAX_ENTRIES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("limit must be a whole number from 0 to " + MAX_ENTRIES + ", not '" + v + "'");
    }

    private static void send(Exchange x, StringWriter body) throws IOException {
        x.status(200);
        x.setHeader("Cache-Control", "no-store");
        try (OutputStream out = x.open("application/json", true)) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
