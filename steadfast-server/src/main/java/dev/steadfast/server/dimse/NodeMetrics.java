package dev.steadfast.server.dimse;

import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.ops.Histogram;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the DIMSE front door did, for logs and (with the web module) /metrics. Thread-safe. */
public final class NodeMetrics {
    private final LongAdder instancesReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final Map<Integer, LongAdder> storeFailures = new ConcurrentHashMap<>();
    private final AtomicLong associationsOpen = new AtomicLong();
    private final LongAdder associationsTotal = new LongAdder();
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    /** Count, failures, total time and latency distribution of one DIMSE operation type. */
    public record OperationStats(long count, long failed, double seconds, Histogram.Snapshot latency) {
    }

    private static final class Operation {
        final LongAdder count = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final Histogram latency = new Histogram();
    }

    /** An operation answered ({@code name} as PS3.7 writes it: C-FIND, C-MOVE, ...). */
    public void operation(String name, long nanos, boolean failed) {
        Operation o = operations.computeIfAbsent(name, k -> new Operation());
        o.count.increment();
        o.nanos.add(nanos);
        o.latency.record(nanos);
        if (failed) {
            o.failed.increment();
        }
    }

    /** Per operation name, sorted. */
    public Map<String, OperationStats> operations() {
        Map<String, OperationStats> m = new TreeMap<>();
        operations.forEach((k, v) -> m.put(k, new OperationStats(v.count.sum(), v.failed.sum(), v.nanos.sum() / 1e9,
                v.latency.snapshot())));
        return m;
    }

    void stored(long bytes) {
        instancesReceived.increment();
        bytesReceived.add(bytes);
    }

    void storeFailed(Status status) {
        storeFailures.computeIfAbsent(status.code(), k -> new LongAdder()).increment();
    }

    public void associationOpened() {
        associationsOpen.incrementAndGet();
        associationsTotal.increment();
    }

    public void associationClosed() {
        associationsOpen.decrementAndGet();
    }

    /** Instances stored (acknowledged with success or warning). */
    public long instancesReceived() {
        return instancesReceived.sum();
    }

    /** Instances refused, all statuses. */
    public long instancesFailed() {
        return storeFailures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long associationsOpen() {
        return associationsOpen.get();
    }

    public long associationsTotal() {
        return associationsTotal.sum();
    }

    /** Refused C-STOREs by status code. */
    public Map<Integer, Long> storeFailures() {
        Map<Integer, Long> m = new TreeMap<>();
        storeFailures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
