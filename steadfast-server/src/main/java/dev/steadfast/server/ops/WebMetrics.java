package dev.steadfast.server.ops;

import dev.steadfast.web.http.RequestObserver;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** DICOMweb requests by kind (qido, wado, stow, ...): counts by HTTP status and latency. Thread-safe. */
public final class WebMetrics implements RequestObserver {
    private final Map<String, LongAdder> byKindAndStatus = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();

    @Override
    public void observe(String kind, int status, long nanos) {
        byKindAndStatus.computeIfAbsent(kind + "\t" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(kind, k -> new Histogram()).record(nanos);
    }

    /** Requests answered, keyed by kind then status, sorted. */
    public Map<String, Map<Integer, Long>> requests() {
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        byKindAndStatus.forEach((k, v) -> {
            String[] p = k.split("\t");
            out.computeIfAbsent(p[0], x -> new TreeMap<>()).put(Integer.parseInt(p[1]), v.sum());
        });
        return out;
    }

    /** Latency by kind, sorted. */
    public Map<String, Histogram.Snapshot> latency() {
        Map<String, Histogram.Snapshot> out = new TreeMap<>();
        latency.forEach((k, v) -> out.put(k, v.snapshot()));
        return out;
    }
}
