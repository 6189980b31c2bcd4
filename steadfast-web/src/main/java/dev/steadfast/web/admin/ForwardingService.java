package dev.steadfast.web.admin;

import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.forward.ForwardQueues;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/forwarding} (issue 17): the forwarding queues, per destination, with their dead
 * letters and the reason of each; pause, resume and retry of dead letters. Reading needs the
 * {@code read} role, changing {@code admin} (AccessRules). UIDs only, never patient data.
 */
public final class ForwardingService {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingService.class);
    private static final int DEFAULT_ENTRIES = 20;
    private static final int MAX_ENTRIES = 1000;

    private final ForwardQueues queues;
    private final String path;

    /** @param queues null when nothing is forwarded: the list is empty and every destination unknown */
    ForwardingService(ForwardQueues queues) {
        this(queues, "/forwarding");
    }

    /** The same under another path: the HL7 destinations' queues are {@code /api/hl7/destinations} (issue 18). */
    public ForwardingService(ForwardQueues queues, String path) {
        this.queues = queues;
        this.path = path;
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", path, this::list),
                Route.of("GET", path + "/{destination}", this::one),
                Route.of("POST", path + "/{destination}/pause", x -> pause(x, true)),
                Route.of("POST", path + "/{destination}/resume", x -> pause(x, false)),
                Route.of("POST", path + "/{destination}/retry", this::retry));
    }

    private void list(Exchange x) throws IOException {
        int limit = limit(x, DEFAULT_ENTRIES);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("destinations").beginArray();
        for (ForwardQueues.DestinationState s : states()) {
            destination(j, s, limit);
        }
        j.endArray().endObject();
        send(x, 200, body);
    }

    private void one(Exchange x) throws IOException {
        int limit = limit(x, 100);
        ForwardQueues.DestinationState s = state(x.pathParam("destination"));
        StringWriter body = new StringWriter();
        destination(new JsonOut(body, false), s, limit);
        send(x, 200, body);
    }

    private void pause(Exchange x, boolean paused) throws IOException {
        String name = state(x.pathParam("destination")).name();
        queues.pause(name, paused);
        LOG.info("AUDIT forwarding to {} {} by http {}@{}", name, paused ? "paused" : "resumed",
                x.user() == null ? "" : x.user(), x.remoteAddress());
        one(x);
    }

    private void retry(Exchange x) throws IOException {
        String name = state(x.pathParam("destination")).name();
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
        LOG.info("AUDIT forwarding to {}: {} dead letters queued again by http {}@{}", name, n,
                x.user() == null ? "" : x.user(), x.remoteAddress());
        StringWriter body = new StringWriter();
        new JsonOut(body, false).beginObject().field("destination", name).field("requeued", n).endObject();
        send(x, 200, body);
    }

    private List<ForwardQueues.DestinationState> states() {
        return queues == null ? List.of() : queues.states();
    }

    private ForwardQueues.DestinationState state(String name) {
        return states().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> HttpError.notFound("no destination '" + name + "' under /api" + path));
    }

    private void destination(JsonOut j, ForwardQueues.DestinationState s, int limit) throws IOException {
        j.beginObject().field("name", s.name())
                .field("paused", s.paused())
                .field("depth", s.depth())
                .field("oldestAgeSeconds", s.oldestAgeSeconds())
                .field("deadLetters", s.deadLetters())
                .field("sent", s.sent())
                .field("failed", s.failed())
                .field("deadLettered", s.deadLettered());
        if (s.lastError() != null) {
            j.field("lastError", s.lastError());
        }
        entries(j.key("waiting"), queues.entries(s.name(), false, limit));
        entries(j.key("deadLetterEntries"), queues.entries(s.name(), true, limit));
        j.endObject();
    }

    private static void entries(JsonOut j, List<ForwardEntry> entries) throws IOException {
        j.beginArray();
        for (ForwardEntry e : entries) {
            j.beginObject().field("id", e.id())
                    .field("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .field("studyInstanceUID", e.studyUid());
            if (e.kind() == ForwardEntry.Kind.HL7 && e.reason() != null) {
                j.field("message", e.reason()); // type^event and control id, not the text (patient data)
            }
            if (e.sopUid() != null) {
                j.field("seriesInstanceUID", e.seriesUid()).field("sopInstanceUID", e.sopUid())
                        .field("sopClassUID", e.sopClassUid()).field("transferSyntaxUID", e.transferSyntax());
            }
            j.field("enqueuedAt", Instant.ofEpochMilli(e.enqueuedAt()).toString())
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

    private static void send(Exchange x, int status, StringWriter body) throws IOException {
        x.status(status);
        x.setHeader("Cache-Control", "no-store");
        try (OutputStream out = x.open("application/json", true)) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
