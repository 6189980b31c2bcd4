package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.health.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Probes every target at a fixed interval: a target whose probe fails is taken out of the
 * rotation at once, and one that answers again is brought back and handed to
 * {@code onRecovered} (which starts the repair of what it missed).
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final ReplicatedStorage storage;
    private final Consumer<Target> onRecovered;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("steadfast-storage-health").factory());

    public HealthMonitor(ReplicatedStorage storage, Consumer<Target> onRecovered) {
        this.storage = storage;
        this.onRecovered = onRecovered;
    }

    public HealthMonitor start(Duration interval) {
        timer.scheduleWithFixedDelay(this::checkNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Probes each target once. */
    public void checkNow() {
        for (Target t : storage.targets()) {
            boolean wasDown = t.breaker().state() != CircuitBreaker.State.CLOSED;
            try {
                t.probe().check();
                t.breaker().success();
                if (wasDown) {
                    log.info("storage target {} answers again; repairing what it missed ({} known)", t,
                            storage.pendingRepairs(t).size());
                    onRecovered.accept(t);
                }
            } catch (Exception e) {
                if (!wasDown) {
                    log.error("storage target {} failed its health probe: {}", t, e.toString());
                }
                t.breaker().trip(e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
