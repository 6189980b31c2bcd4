package dev.steadfast.web.admin;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.dicom.json.JsonOut;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin routes every durable queue family shares ({@code /api/forwarding},
 * {@code /api/hl7/destinations}, {@code /api/workflow}): list, one destination, pause, resume
 * and retry of dead letters, with one {@code limit} and {@code id} parsing and one audit line.
 * What differs between families (their states and the fields of a destination) is the
 * {@link Queues} they pass in.
 */
final class QueueRoutes<S> {
    private static final Logger LOG = LoggerFactory.getLogger(QueueRoutes.class);
    static final int DEFAULT_ENTRIES = 20;
    static final int ONE_DESTINATION_ENTRIES = 100;
    static final int MAX_ENTRIES = 1000;

    /** One queue family as the admin API sees it. */
    interface Queues<S> {
        List<S> states();

        /** @return null when no destination has this name */
        S state(String name);

        String name(S state);

        void pause(String name, boolean paused);

        /** @param entry one dead letter, or null for all of the destination's */
        int retry(String name, Long entry);

        /** Writes one destination as a JSON object, with up to {@code limit} entries of each list. */
        void write(JsonOut j, S state, int limit) throws IOException;
    }

    private final String path;
    private final String audited;
    private final String unknownHint;
    private final Queues<S> queues;

    /**
     * @param path        under /api, e.g. {@code /forwarding}
     * @param audited     what the audit line calls a destination's traffic, e.g. {@code forwarding}
     * @param unknownHint appended to the 404 of an unknown destination (names it expects), or ""
     */
    QueueRoutes(String path, String audited, String unknownHint, Queues<S> queues) {
        this.path = path;
        this.audited = audited;
        this.unknownHint = unknownHint;
        this.queues = queues;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", path, guarded(this::list)),
                Route.of("GET", path + "/{destination}", guarded(this::one)),
                Route.of("POST", path + "/{destination}/pause", guarded(x -> pause(x, true))),
                Route.of("POST", path + "/{destination}/resume", guarded(x -> pause(x, false))),
                Route.of("POST", path + "/{destination}/retry", guarded(this::retry)));
    }

    /** The queues live in the index: while it is down the answer is 503, not a 500. */
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
        int limit = limit(x, DEFAULT_ENTRIES);
        StringWriter body = new StringWriter();
        JsonOut j = new JsonOut(body, false).beginObject().key("destinations").beginArray();
        for (S s : queues.states()) {
            queues.write(j, s, limit);
        }
        j.endArray().endObject();
        send(x, body);
    }

    private void one(Exchange x) throws IOException {
        int limit = limit(x, ONE_DESTINATION_ENTRIES);
        StringWriter body = new StringWriter();
        queues.write(new JsonOut(body, false), state(x), limit);
        send(x, body);
    }

    private void pause(Exchange x, boolean paused) throws IOException {
        String name = queues.name(state(x));
        queues.pause(name, paused);
        LOG.info("AUDIT {} to {} {} by http {}@{}", audited, name, paused ? "paused" : "resumed",
                x.user() == null ? "" : x.user(), x.remoteAddress());
        one(x);
    }

    private void retry(Exchange x) throws IOException {
        String name = queues.name(state(x));
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
        LOG.info("AUDIT {} to {}: {} dead letters queued again by http {}@{}", audited, name, n,
                x.user() == null ? "" : x.user(), x.remoteAddress());
        StringWriter body = new StringWriter();
        new JsonOut(body, false).beginObject().field("destination", name).field("requeued", n).endObject();
        send(x, body);
    }

    private S state(Exchange x) {
        String name = x.pathParam("destination");
        S s = queues.state(name);
        if (s == null) {
            throw HttpError.notFound("no destination '" + name + "' under /api" + path + unknownHint);
        }
        return s;
    }

    static int limit(Exchange x, int dflt) {
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
