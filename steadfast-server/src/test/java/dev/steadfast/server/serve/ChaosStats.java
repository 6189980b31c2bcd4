package dev.steadfast.server.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the chaos run's clients saw: per client, requests and failures, and every outage (from a
 * client's first failed request to its next success, as a user waiting would count it). Clients
 * are named by kind ({@code store-0}, {@code C-FIND}, ...). Thread-safe.
 */
final class ChaosStats {
    /** One outage of one client, in milliseconds since the run's start. */
    record Outage(String client, long fromMillis, long toMillis) {
        long millis() {
            return toMillis - fromMillis;
        }

        boolean overlaps(long from, long to) {
            return fromMillis <= to && toMillis >= from;
        }
    }

    private static final class Client {
        long requests;
        long failures;
        long failingSince = -1;
    }

    private final long start = System.nanoTime();
    private final Map<String, Client> clients = new TreeMap<>();
    private final List<Outage> outages = new ArrayList<>();
    private final List<String> crashes = new ArrayList<>();

    long nowMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Records one request's outcome; returns {@code ok}. */
    synchronized boolean record(String client, boolean ok) {
        Client c = clients.computeIfAbsent(client, k -> new Client());
        long now = nowMillis();
        c.requests++;
        if (!ok) {
            c.failures++;
            if (c.failingSince < 0) {
                c.failingSince = now;
            }
        } else if (c.failingSince >= 0) {
            outages.add(new Outage(client, c.failingSince, now));
            c.failingSince = -1;
        }
        return ok;
    }

    synchronized void crashed(String client, Exception e) {
        crashes.add(client + ": " + e);
    }

    synchronized List<String> crashes() {
        return List.copyOf(crashes);
    }

    synchronized long requests() {
        return clients.values().stream().mapToLong(c -> c.requests).sum();
    }

    synchronized long failures() {
        return clients.values().stream().mapToLong(c -> c.failures).sum();
    }

    /** Longest outage overlapping [from, to] (or outside every such window when {@code inside} is false). */
    synchronized Outage longest(List<long[]> windows, boolean inside) {
        Outage best = null;
        for (Outage o : outages) {
            boolean in = windows.stream().anyMatch(w -> o.overlaps(w[0], w[1]));
            if (in == inside && (best == null || o.millis() > best.millis())) {
                best = o;
            }
        }
        return best;
    }

    /** Per client: requests, failed, failed %. */
    synchronized String table() {
        StringBuilder sb = new StringBuilder();
        clients.forEach((name, c) -> sb.append(String.format("  %-10s %6d requests %5d failed (%.1f %%)%n", name,
                c.requests, c.failures, c.requests == 0 ? 0.0 : 100.0 * c.failures / c.requests)));
        return sb.toString();
    }
}
