package dev.steadfast.archive.health;

import java.time.Instant;

/**
 * What {@code /health} and {@code /metrics} report about one dependency.
 *
 * @param pendingRepairs objects this target is known to lack or hold damaged (0 for the index;
 *                       for the index: instances waiting in the ingest journal)
 */
public record HealthStatus(String name, CircuitBreaker.State state, int consecutiveFailures, String lastError,
                           Instant lastFailureAt, Instant lastSuccessAt, long pendingRepairs) {
    public boolean up() { return state == CircuitBreaker.State.CLOSED; }
}
