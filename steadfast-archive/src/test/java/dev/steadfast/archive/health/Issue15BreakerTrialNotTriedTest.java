package dev.steadfast.archive.health;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: a half-open breaker's one trial call that never reached the dependency (the index's claims pool
 * full) gives the trial to the next caller. It used to be lost: the breaker stayed half-open, refusing every call.
 */
class Issue15BreakerTrialNotTriedTest {
    private Instant now = Instant.parse("2026-12-08T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    @Test
    void aTrialThatWasNotTriedGoesToTheNextCaller() {
        CircuitBreaker b = new CircuitBreaker("index", 2, Duration.ofSeconds(2), clock);
        b.failure(new Exception("refused"));
        b.failure(new Exception("refused"));
        assertThat(b.allowRequest()).as("open").isFalse();
        now = now.plusSeconds(3);
        assertThat(b.allowRequest()).as("the trial").isTrue();
        assertThat(b.allowRequest()).as("one trial at a time").isFalse();

        b.notTried();
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.allowRequest()).as("the next caller's trial, at once").isTrue();
        b.success();
        assertThat(b.status(0).up()).isTrue();

        b.notTried(); // closed: nothing to give back
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(b.status(0).consecutiveFailures()).isZero();
    }
}
