package dev.steadfast.web.admin;

import dev.steadfast.archive.workflow.WorkflowOutbox;
import dev.steadfast.archive.workflow.WorkflowQueues;
import dev.steadfast.dicom.json.JsonOut;
import dev.steadfast.web.http.Route;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/workflow} (issue 18): the workflow outbox per destination ({@code mpps:NAME},
 * {@code ian:NAME}, {@code events}) in the shape of {@code /api/forwarding}: depth, oldest age,
 * dead letters with their reason; pause, resume, retry of dead letters. Everything under
 * {@code /api} needs the {@code admin} role (AccessRules). UIDs and kinds only, never payloads:
 * an MPPS carries patient data.
 */
public final class WorkflowService implements QueueRoutes.Queues<WorkflowOutbox.DestinationState> {
    private final WorkflowQueues queues;

    public WorkflowService(WorkflowQueues queues) {
        this.queues = queues;
    }

    public List<Route> routes() {
        return new QueueRoutes<>("/workflow", "workflow deliveries", " (names: mpps:NAME, ian:NAME, events)", this)
                .routes();
    }

    @Override
    public List<WorkflowOutbox.DestinationState> states() {
        return queues.states();
    }

    @Override
    public WorkflowOutbox.DestinationState state(String name) {
        return queues.state(name);
    }

    @Override
    public String name(WorkflowOutbox.DestinationState state) {
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
    public void write(JsonOut j, WorkflowOutbox.DestinationState s, int limit) throws IOException {
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
}
