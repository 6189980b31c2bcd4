package dev.steadfast.archive.scrub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Repair and scrub in the background: known missing replicas are copied every
 * {@code repairEvery}, and a full scrub (at the scrubber's pace) starts every {@code scrubEvery}.
 * One pass at a time; the last report of each kind is kept for {@code /health} and metrics.
 */
public final class ScrubScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScrubScheduler.class);

    private final Scrubber scrubber;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("steadfast-scrub").factory());
    private final AtomicReference<ScrubReport> lastRepair = new AtomicReference<>();
    private final AtomicReference<ScrubReport> lastScrub = new AtomicReference<>();

    public ScrubScheduler(Scrubber scrubber) {
        this.scrubber = scrubber;
    }

    /** Starts both loops; a zero duration leaves that loop off. */
    public ScrubScheduler start(Duration repairEvery, Duration scrubEvery) {
        if (!repairEvery.isZero()) {
            timer.scheduleWithFixedDelay(this::repairNow, repairEvery.toMillis(), repairEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (!scrubEvery.isZero()) {
            timer.scheduleWithFixedDelay(this::scrubNow, scrubEvery.toMillis(), scrubEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Copies known missing replicas now (also what a recovered target triggers). */
    public void repairSoon() {
        timer.execute(this::repairNow);
    }

    private void repairNow() {
        try {
            ScrubReport r = scrubber.repairPending();
            lastRepair.set(r);
            if (r.missingRepaired() + r.damagedRepaired() > 0) {
                log.info("background repair: {} missing and {} damaged copies restored", r.missingRepaired(),
                        r.damagedRepaired());
            }
        } catch (RuntimeException e) {
            log.error("background repair failed", e);
        }
    }

    private void scrubNow() {
        try {
            ScrubReport r = scrubber.scrub(Progress.NONE);
            lastScrub.set(r);
            log.info("background scrub: {} objects, {} repaired, {} without a good copy", r.objects(),
                    r.missingRepaired() + r.damagedRepaired(), r.unrepairable().size());
        } catch (Exception e) {
            log.error("background scrub failed", e);
        }
    }

    public ScrubReport lastRepair() { return lastRepair.get(); }

    public ScrubReport lastScrub() { return lastScrub.get(); }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
