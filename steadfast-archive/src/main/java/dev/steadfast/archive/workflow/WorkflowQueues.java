package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.Index;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The workflow outbox as operators see and steer it ({@code /api/workflow}, issue 18), shaped like
 * the forwarding queues: per destination the entries waiting, the oldest one's age and the dead
 * letters with their reason; pause and resume (stored in the index, so every node obeys), and
 * dead letters queued again.
 */
public final class WorkflowQueues {
    private final Index index;
    private final Set<String> configured;
    private final Runnable wake;
    private final Clock clock;

    /**
     * @param configured the destinations this node delivers to ({@code mpps:NAME}, {@code ian:NAME}, {@code events})
     * @param wake       tells the delivery something became due
     */
    public WorkflowQueues(Index index, Set<String> configured, Runnable wake) {
        this.index = index;
        this.configured = Set.copyOf(configured);
        this.wake = wake;
        this.clock = Clock.systemUTC();
    }

    public List<WorkflowOutbox.DestinationState> states() {
        return index.read(tx -> new WorkflowOutbox(tx).states(configured));
    }

    /** The destination's state, or null when it is neither configured nor has entries. */
    public WorkflowOutbox.DestinationState state(String name) {
        return states().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    public List<WorkflowOutbox.Entry> entries(String destination, boolean dead, int limit) {
        return index.read(tx -> new WorkflowOutbox(tx).entries(destination, dead, limit));
    }

    public void pause(String destination, boolean paused) {
        index.write(tx -> {
            new WorkflowOutbox(tx).pause(destination, paused);
            return null;
        });
        wake.run();
    }

    /** Dead letters of the destination (all, or the one with {@code id}) queued again; returns how many. */
    public int retry(String destination, Long id) {
        long now = clock.millis();
        int n = index.write(tx -> new WorkflowOutbox(tx).retryDead(destination, id, now));
        wake.run();
        return n;
    }
}
