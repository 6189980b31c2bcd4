package dev.steadfast.archive.forward;

import dev.steadfast.archive.index.Index;

import java.time.Clock;
import java.util.List;

/** The queues as operators see and control them: {@code /api/forwarding} and {@code /metrics}. */
public final class ForwardQueues {
    private final Index index;
    private final Clock clock;
    private final java.util.Set<String> names;

    public ForwardQueues(Index index, Clock clock) {
        this(index, clock, null);
    }

    /** @param names the destinations shown (the HL7 ones and the DICOM ones share the tables); null: all */
    public ForwardQueues(Index index, Clock clock, java.util.Set<String> names) {
        this.index = index;
        this.clock = clock;
        this.names = names == null ? null : java.util.Set.copyOf(names);
    }

    /**
     * One destination's queue.
     *
     * @param depth              entries waiting (not dead)
     * @param deadLetters        entries refused too often, kept with their reason
     * @param oldestAgeSeconds   age of the oldest waiting entry, 0 when none waits
     * @param sent               entries delivered since the queue exists (all nodes)
     * @param failed             failed attempts (refusals and unreachable destination)
     * @param deadLettered       entries that ever became dead letters
     * @param lastError          the latest failure recorded on a queued or dead entry, or null
     */
    public record DestinationState(String name, boolean paused, long depth, long deadLetters, double oldestAgeSeconds,
                                   long sent, long failed, long deadLettered, String lastError) {
    }

    public List<DestinationState> states() {
        long now = clock.millis();
        List<DestinationState> all = index.read(tx -> new ForwardQueue(tx).states(now));
        return names == null ? all : all.stream().filter(s -> names.contains(s.name())).toList();
    }

    /** Waiting ({@code dead} false) or dead entries of a destination, oldest first. */
    public List<ForwardEntry> entries(String destination, boolean dead, int limit) {
        return index.read(tx -> new ForwardQueue(tx).entries(destination, dead ? ForwardQueue.DEAD : ForwardQueue.QUEUED, limit));
    }

    /** Pauses (or resumes) a destination on every node; false when there is no such destination. */
    public boolean pause(String destination, boolean paused) {
        return index.write(tx -> new ForwardQueue(tx).setPaused(destination, paused));
    }

    /** Queues the destination's dead letters again (all, or one by id); returns how many. */
    public int retry(String destination, Long id) {
        long now = clock.millis();
        return index.write(tx -> new ForwardQueue(tx).retryDead(destination, id, now));
    }
}
