package dev.steadfast.server.dimse;

import dev.steadfast.net.dimse.Status;
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

    public long instancesReceived() {
        return instancesReceived.sum();
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
