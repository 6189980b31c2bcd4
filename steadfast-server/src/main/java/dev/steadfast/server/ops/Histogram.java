package dev.steadfast.server.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations: cumulative counts per upper bound ({@code le}), a sum and a
 * count. Fixed buckets from 5 ms to 5 min cover a C-FIND on a warm index as well as a C-MOVE of a
 * large study. Thread-safe, lock-free.
 */
public final class Histogram {
    /** Upper bounds in seconds; +Inf is implied. */
    public static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    public Histogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void record(long durationNanos) {
        double seconds = durationNanos / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets[i].increment(); // not cumulative here: summed when read
                break;
            }
        }
        count.increment();
        nanos.add(durationNanos);
    }

    /** A consistent-enough copy: cumulative bucket counts (one per bound), count, sum in seconds. */
    public record Snapshot(long[] cumulative, long count, double sumSeconds) {
    }

    public Snapshot snapshot() {
        long c = count.sum();
        long[] cumulative = new long[BOUNDS.length];
        long running = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = Math.min(running, c); // a record in flight between bucket and count
        }
        return new Snapshot(cumulative, Math.max(c, running), nanos.sum() / 1e9);
    }
}
