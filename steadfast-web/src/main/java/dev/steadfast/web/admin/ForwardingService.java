package dev.steadfast.web.admin;

import dev.steadfast.archive.forward.ForwardEntry;
import dev.steadfast.archive.forward.ForwardQueues;
import dev.steadfast.dicom.json.JsonOut;
import dev.steadfast.web.http.Route;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/forwarding} (issue 17): the forwarding queues, per destination, with their dead
 * letters and the reason of each; pause, resume and retry of dead letters. Reading needs the
 * {@code read} role, changing {@code admin} (AccessRules). UIDs only, never patient data.
 */
public final class ForwardingService implements QueueRoutes.Queues<ForwardQueues.DestinationState> {
    private final ForwardQueues queues;
    private final QueueRoutes<ForwardQueues.DestinationState> routes;

    /** @param queues null when nothing is forwarded: the list is empty and every destination unknown */
    ForwardingService(ForwardQueues queues) {
        this(queues, "/forwarding");
    }

    /** The same under another path: the HL7 destinations' queues are {@code /api/hl7/destinations} (issue 18). */
    public ForwardingService(ForwardQueues queues, String path) {
        this.queues = queues;
        this.routes = new QueueRoutes<>(path, "forwarding", "", this);
    }

    public List<Route> routes() {
        return routes.routes();
    }

    @Override
    public List<ForwardQueues.DestinationState> states() {
        return queues == null ? List.of() : queues.states();
    }

    @Override
    public ForwardQueues.DestinationState state(String name) {
        return states().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public String name(ForwardQueues.DestinationState state) {
        return state.name();
    }

    @Override
    public void pause(String name, boolean paused) {
        queues.pause(name, paused);
    }

    @Override
    public int retry(String name, Long entry) {
        return queues.retry(name, entry);
    }

    @Override
    public void write(JsonOut j, ForwardQueues.DestinationState s, int limit) throws IOException {
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

}
