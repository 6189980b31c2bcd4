package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import dev.steadfast.archive.forward.ForwardQueue;
import dev.steadfast.archive.index.Index;
import java.time.Clock;
import java.util.Set;

/**
 * Queues HL7 messages for the configured HL7 destinations (issue 18, docs/HL7.md "Outgoing"):
 * each destination's queue lives in the index and is delivered in order, one message at a time,
 * with retries, acknowledgement checking and dead letters ({@link Hl7Sender}). Once
 * {@link #enqueue} returns, the message survives a crash of this node; if it throws, nothing was queued.
 */
public final class Hl7Outbox {
    private final Index index;
    private final Set<String> destinations;
    private final Clock clock;

    Hl7Outbox(Index index, Set<String> destinations, Clock clock) {
        this.index = index;
        this.destinations = Set.copyOf(destinations);
        this.clock = clock;
    }

    /** The configured HL7 destinations' names. */
    public Set<String> destinations() {
        return destinations;
    }

    /**
     * Queues {@code message} (pipe-encoded, segments ended by CR) for {@code destination}, behind
     * what that destination's queue holds.
     *
     * @throws IllegalArgumentException no such destination, or not an HL7 message with MSH-10
     * @throws dev.steadfast.archive.index.IndexException the index is unavailable: nothing was queued
     */
    public void enqueue(String destination, String message) {
        enqueue(destination, message, null);
    }

    /** As {@link #enqueue(String, String)}, for a HAPI message. */
    public void enqueue(String destination, Message message) throws HL7Exception {
        enqueue(destination, message.encode(), null);
    }

    /** As {@link #enqueue(String, String)}, naming the study it is about (shown with the queue entry). */
    public void enqueue(String destination, String message, String studyUid) {
        if (!destinations.contains(destination)) {
            throw new IllegalArgumentException("no HL7 destination '" + destination + "' (hl7.destinations: " + destinations + ")");
        }
        Msh m = Msh.of(message);
        if (m == null || m.controlId().isEmpty()) {
            throw new IllegalArgumentException("not an HL7 message with a control id (MSH-10)");
        }
        String description = m.component(9, 1) + "^" + m.component(9, 2) + " " + m.controlId();
        String text = message.replace("\r\n", "\r").replace('\n', '\r');
        long now = clock.millis();
        index.write(tx -> {
            new ForwardQueue(tx).enqueueMessage(destination, studyUid, description, text, now);
            return null;
        });
    }
}
