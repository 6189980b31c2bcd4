package dev.steadfast.archive.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.testing.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the cluster jobs serve runs (db-scheduler on the index). On PostgreSQL two nodes, each
 * with its own pool, share 40 one-off jobs: every job runs exactly once, never on both. On SQLite
 * the same code runs jobs and retries a failed one.
 */
class Issue15ClusterJobsTest {
    private static final ClusterJobs.Timing FAST = new ClusterJobs.Timing(Duration.ofMillis(200), Duration.ofMillis(250), 4);

    @TempDir
    Path tmp;

    @Test
    void twoNodesOnPostgresRunEachJobExactlyOnce() throws Exception {
        IndexConfig config = EmbeddedPostgres.freshDatabase();
        Map<String, List<String>> ranOn = new ConcurrentHashMap<>();
        try (Index i1 = Index.open(config); Index i2 = Index.open(config)) {
            ClusterJobs n1 = new ClusterJobs(i1.jobsDataSource(), i1.dialect(), "n1", FAST, 2);
            ClusterJobs n2 = new ClusterJobs(i2.jobsDataSource(), i2.dialect(), "n2", FAST, 2);
            ClusterJobs.OneOff work = n1.oneOff("count", 3, Duration.ofMillis(100), data -> record(ranOn, data, "n1"));
            n2.oneOff("count", 3, Duration.ofMillis(100), data -> record(ranOn, data, "n2"));
            try (ClusterJobs a = n1.start(); ClusterJobs b = n2.start()) {
                for (int j = 0; j < 40; j++) {
                    work.schedule("job-" + j, "job-" + j);
                }
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (ranOn.size() < 40 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        }
        assertThat(ranOn).hasSize(40);
        ranOn.forEach((job, nodes) -> assertThat(nodes).as(job).hasSize(1));
        System.out.printf("40 jobs: %d on n1, %d on n2%n", ranOn.values().stream().filter(n -> n.contains("n1")).count(),
                ranOn.values().stream().filter(n -> n.contains("n2")).count());
    }

    @Test
    void sqliteRunsJobsAndRetriesAFailedOne() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Map<String, List<String>> ranOn = new ConcurrentHashMap<>();
        try (Index index = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")))) {
            ClusterJobs jobs = new ClusterJobs(index.jobsDataSource(), index.dialect(), "solo", FAST, 2);
            ClusterJobs.OneOff flaky = jobs.oneOff("flaky", 3, Duration.ofMillis(100), data -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new java.io.IOException("first attempt fails");
                }
                record(ranOn, data, "solo");
            });
            ClusterJobs.OneOff plain = jobs.oneOff("plain", 3, Duration.ofMillis(100), data -> record(ranOn, data, "solo"));
            try (ClusterJobs started = jobs.start()) {
                flaky.schedule("f", "flaky");
                for (int j = 0; j < 10; j++) {
                    plain.schedule("p" + j, "plain-" + j);
                }
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (ranOn.size() < 11 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        }
        assertThat(ranOn).hasSize(11);
        assertThat(attempts.get()).isEqualTo(2);
    }

    private static void record(Map<String, List<String>> ranOn, String data, String node) throws InterruptedException {
        ranOn.computeIfAbsent(data, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(node);
        Thread.sleep(20);
    }
}
