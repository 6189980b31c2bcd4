package dev.steadfast.archive.forward;

import java.time.Duration;

/**
 * How the queues are drained.
 *
 * @param maxAttempts    refusals (the destination answered a failure) before an entry is dead-lettered;
 *                       an unreachable destination is retried without limit
 * @param initialBackoff the wait after the first failure; it doubles per failure up to {@code maxBackoff}
 * @param lease          how long a claim holds before another node may take the entries over
 * @param batch          entries claimed (and sent over one association or HTTP client) at a time
 * @param poll           how often an idle destination's queue is looked at
 */
public record ForwardPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration lease, int batch,
                            Duration poll) {
    public static final ForwardPolicy DEFAULTS = new ForwardPolicy(10, Duration.ofSeconds(5), Duration.ofMinutes(10),
            Duration.ofMinutes(5), 50, Duration.ofSeconds(1));

    public ForwardPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1: " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff: the initial wait must be positive and at most the maximum");
        }
        if (lease.toMillis() < 1000) {
            throw new IllegalArgumentException("lease must be at least one second: " + lease);
        }
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("batch must be 1..1000: " + batch);
        }
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("poll must be positive: " + poll);
        }
    }

    /** The wait after the {@code failures}-th consecutive failure (1 = the first). */
    public Duration backoff(int failures) {
        long ms = initialBackoff.toMillis();
        for (int i = 1; i < failures && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
