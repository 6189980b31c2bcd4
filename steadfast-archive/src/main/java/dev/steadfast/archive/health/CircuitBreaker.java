package dev.steadfast.archive.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Health of one dependency (a storage target, the index database). After {@code threshold}
 * consecutive failures it opens: callers skip the dependency instead of waiting on it. Once
 * {@code openFor} has passed one trial call is let through (half-open); its success closes the
 * breaker, its failure opens it again. Thread-safe.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String name;
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;
    private Instant lastFailureAt;
    private Instant lastSuccessAt;
    private String lastError;

    public CircuitBreaker(String name, int threshold, Duration openFor, Clock clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1");
        }
        this.name = name;
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    public CircuitBreaker(String name) {
        this(name, 3, Duration.ofSeconds(5), Clock.systemUTC());
    }

    public String name() { return name; }

    /** Whether a call may go to the dependency now; true at most once per open period when open. */
    public synchronized boolean allowRequest() {
        return switch (state) {
            case CLOSED -> true;
            case HALF_OPEN -> false; // the trial call is out
            case OPEN -> {
                if (clock.instant().isBefore(openUntil)) {
                    yield false;
                }
                state = State.HALF_OPEN;
                yield true;
            }
        };
    }

    /** Whether the dependency is believed usable (closed), without taking a trial slot. */
    public synchronized boolean isClosed() { return state == State.CLOSED; }

    public synchronized void success() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        lastSuccessAt = clock.instant();
    }

    public synchronized void failure(Throwable cause) {
        consecutiveFailures++;
        lastFailureAt = clock.instant();
        lastError = cause == null ? "failed" : String.valueOf(cause.getMessage());
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openUntil = clock.instant().plus(openFor);
        }
    }

    /**
     * A call let through that did not reach the dependency (e.g. no pooled connection was free): judges nothing,
     * but when it was the half-open trial, the next call may be the trial.
     */
    public synchronized void notTried() {
        if (state == State.HALF_OPEN) {
            state = State.OPEN;
            openUntil = clock.instant();
        }
    }

    /** Opens at once (a probe found the dependency gone). */
    public synchronized void trip(Throwable cause) {
        consecutiveFailures = Math.max(consecutiveFailures + 1, threshold);
        failure(cause);
    }

    public synchronized State state() { return state; }

    public synchronized HealthStatus status(long pendingRepairs) {
        return new HealthStatus(name, state, consecutiveFailures, lastError, lastFailureAt, lastSuccessAt,
                pendingRepairs);
    }
}
