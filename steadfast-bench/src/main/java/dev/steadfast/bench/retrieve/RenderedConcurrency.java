package dev.steadfast.bench.retrieve;

import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.util.Stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several viewers at once (issue 19, round five): {@code clients} threads each asking {@code perClient}
 * rendered frames in a row, every request for another instance of the study, one peer at a time and
 * the peers in an order rotated by one per round. Reported per peer: requests per second (median of
 * the rounds), the latency of all requests (median, p90) and the peer's CPU per request.
 */
final class RenderedConcurrency {
    private RenderedConcurrency() {}

    static void run(List<String> kinds, Map<String, Peer> running, List<String> paths, int clients, int perClient, int rounds)
            throws Exception {
        Map<String, List<Double>> rate = new LinkedHashMap<>();
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        Map<String, Double> cpuMs = new LinkedHashMap<>();
        int next = 0; // instance counter, so consecutive rounds keep asking for other instances
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < kinds.size(); i++) {
                    String kind = kinds.get((i + r) % kinds.size());
                    Peer p = running.get(kind);
                    List<Double> times = Collections.synchronizedList(new ArrayList<>());
                    List<Future<?>> done = new ArrayList<>();
                    double cpu0 = p.cpuSeconds();
                    long t0 = System.nanoTime();
                    for (int c = 0; c < clients; c++) {
                        int first = next + c * perClient;
                        done.add(pool.submit(() -> {
                            for (int k = 0; k < perClient; k++) {
                                String path = paths.get((first + k) * 7 % paths.size());
                                long s = System.nanoTime();
                                int status = RetrieveBench.fetchStatus(p.qidoBase() + path, "image/jpeg");
                                times.add((System.nanoTime() - s) / 1e6);
                                if (status != 200) {
                                    throw new IllegalStateException(kind + ": HTTP " + status + " for " + path);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    rate.computeIfAbsent(kind, k -> new ArrayList<>()).add(clients * perClient / seconds);
                    latency.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(times);
                    cpuMs.merge(kind, (p.cpuSeconds() - cpu0) * 1000, Double::sum);
                }
                next += clients * perClient;
            }
        }
        for (String kind : kinds) {
            List<Double> l = latency.get(kind);
            RetrieveBench.report(kind, "WADO-RS rendered, %d clients at once x %d requests x %d rounds: %.0f requests/s (median of rounds),"
                            + " latency median %.1f ms, p90 %.1f ms, peer CPU %.1f ms per request", clients, perClient, rounds,
                    Stats.median(rate.get(kind)), Stats.median(l), Stats.percentile(l.stream().mapToDouble(Double::doubleValue).toArray(), 90),
                    cpuMs.get(kind) / l.size());
        }
    }
}
