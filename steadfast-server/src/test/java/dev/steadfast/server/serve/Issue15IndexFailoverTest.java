package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.StreamingPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the index fails over by PostgreSQL's own streaming replication. A node on pgjdbc's
 * multi-host URL ingests from three senders; the primary is killed (kill -9) and the hot standby
 * promoted with {@code pg_ctl promote}. Meanwhile the node keeps acknowledging (the ingest journal);
 * afterwards, without a restart, it writes to and answers queries from the promoted server, and
 * every instance it acknowledged (before, during and after the fail-over) is findable with C-FIND. While there is no
 * primary, {@code /health} and {@code /metrics} say the index is down; after, up.
 */
class Issue15IndexFailoverTest {
    private static final int SENDERS = 3;

    @TempDir
    Path tmp;

    @Test
    void killedPrimaryAndPromotedStandbyLoseNothingAcknowledgedAndTheNodeFollowsWithoutRestart() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // SOP Instance UID -> its study
        try (StreamingPostgres pg = StreamingPostgres.start();
             ArchiveNode node = TestNodes.start(tmp.resolve("node"), pg.jdbcUrl(), Map.of(), List.of())) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(Thread.ofVirtual().start(() -> ModalityLoop.resendUntilStopped(node.dicomPort(), "FAILOVER", acknowledged, stop)));
            }
            try {
                await("10 instances acknowledged before the fail-over", () -> acknowledged.size() >= 10);
                pg.killPrimary();
                int atKill = acknowledged.size();
                // No primary: the node journals and still acknowledges.
                await("5 more acknowledged with no primary", () -> acknowledged.size() >= atKill + 5);
                assertThat(node.index().health().up()).as("index seen down by the node").isFalse();
                // What an operator sees: /health probes the index, /metrics reports what the node knows.
                assertThat(get(node, "/health")).contains("\"index\":{\"reachable\":false");
                assertThat(get(node, "/metrics")).contains("steadfast_index_up 0\n");
                pg.promote();
                int atPromote = acknowledged.size();
                await("5 more acknowledged after the promotion", () -> acknowledged.size() >= atPromote + 5);
            } finally {
                stop.set(true);
                for (Thread t : senders) {
                    t.join(30_000);
                }
            }
            assertThat(pg.isPrimary(pg.standby())).as("the standby was promoted").isTrue();

            // Same node, no restart: the journal drains into the promoted server and queries work.
            Set<String> studies = new HashSet<>();
            studies.addAll(acknowledged.values());
            Set<String> found = new HashSet<>();
            await("every acknowledged instance findable with C-FIND", () -> {
                found.clear();
                try {
                    for (String study : studies) {
                        found.addAll(ModalityLoop.instancesOf(node.dicomPort(), study));
                    }
                } catch (Exception e) {
                    return false; // queries fail fast while the index is still seen down
                }
                return found.containsAll(acknowledged.keySet());
            });
            assertThat(found).containsAll(acknowledged.keySet());
            assertThat(Long.parseLong(pg.sql(pg.standby(), "SELECT count(*) FROM instance")))
                    .as("rows on the promoted server").isGreaterThanOrEqualTo(acknowledged.size());
            assertThat(node.index().health().up()).isTrue();
            assertThat(get(node, "/health")).contains("\"index\":{\"reachable\":true}");
            // The journal says the index is up once its replay found nothing left, just after the last entry.
            await("/metrics says the index is up", () -> get(node, "/metrics").contains("steadfast_index_up 1\n"));
        }
    }

    private static String get(ArchiveNode node, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition}; the 120 s bound is a guard against a hang, not a measurement. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within 120 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
