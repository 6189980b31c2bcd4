package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.server.testing.ServeProcess;
import dev.steadfast.testing.Haproxy;
import dev.steadfast.testing.StreamingPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's throughput comparison, not part of the suite (its name does not end in Test):
 * {@code bench/cluster.sh}. In one run, C-STORE throughput through HAProxy (the shipped
 * configuration) to 1 node, then to 3 nodes, on the same PostgreSQL primary with a synchronous
 * standby and the same shared storage folder, with the CPU each part used per 1,000 instances:
 * the nodes, PostgreSQL (primary and standby) and HAProxy. Printed, never asserted.
 *
 * <p>{@code -Dsteadfast.cluster.instances} (default 3000) per phase, {@code
 * -Dsteadfast.cluster.associations} (8) senders, {@code -Dsteadfast.cluster.kib} (64) pixel data per instance.
 *
 * <p>Comparisons in one run (issue 15, round 3): {@code -Dsteadfast.cluster.configs} lists the node
 * configurations to alternate, {@code ;}-separated, each {@code label[@root][~jvm options]}: {@code @root}
 * runs the nodes from another build (this build's class path with {@code steadfast.cluster.root}
 * replaced by it: a before/after comparison), {@code ~...} adds JVM options (e.g. one CPU per node).
 * Each configuration runs its phases on fresh nodes ({@code -Dsteadfast.cluster.phases}, default {@code 1,3}:
 * {@code N} or {@code NxA}, N nodes and A associations, e.g. {@code 1x3} for one node as loaded as each of
 * three), {@code -Dsteadfast.cluster.rounds} times (A B A B ...). {@code -Dsteadfast.cluster.profile=DIR} records a JFR CPU-time profile of
 * every node (the phase windows are printed, to cut the recordings with {@code bench/JfrWindow.java});
 * with PostgreSQL started with pg_stat_statements ({@code -Dsteadfast.pg.options}) each phase also
 * prints the statements per instance and the transactions per instance.
 */
class ClusterThroughputBench {
    @TempDir
    Path tmp;

    /** One node configuration to compare: its label, class path (null: this build) and extra JVM options. */
    private record Config(String label, String classPath, List<String> jvmOptions) {
        static List<Config> parse(String spec, String root) {
            List<Config> out = new ArrayList<>();
            for (String entry : spec.split(";")) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                List<String> options = new ArrayList<>();
                int tilde = e.indexOf('~');
                if (tilde >= 0) {
                    options.addAll(List.of(e.substring(tilde + 1).strip().split("\\s+")));
                    e = e.substring(0, tilde);
                }
                String classPath = null;
                int at = e.indexOf('@');
                if (at >= 0) {
                    if (root == null || root.isBlank()) {
                        throw new IllegalArgumentException("steadfast.cluster.root must be set with @root configurations");
                    }
                    classPath = System.getProperty("java.class.path").replace(root, e.substring(at + 1));
                    e = e.substring(0, at);
                }
                out.add(new Config(e, classPath, options));
            }
            return out;
        }
    }

    @Test
    void oneNodeThenThreeNodesThroughHaproxy() throws Exception {
        int instances = Integer.getInteger("steadfast.cluster.instances", 3000);
        int associations = Integer.getInteger("steadfast.cluster.associations", 8);
        int kib = Integer.getInteger("steadfast.cluster.kib", 64);
        int rounds = Integer.getInteger("steadfast.cluster.rounds", 1);
        List<Config> configs = Config.parse(System.getProperty("steadfast.cluster.configs", "this"),
                System.getProperty("steadfast.cluster.root"));
        String profile = System.getProperty("steadfast.cluster.profile", "");
        String phases = System.getProperty("steadfast.cluster.phases", "1,3");
        try (StreamingPostgres pg = StreamingPostgres.start()) {
            boolean statements = statementsAvailable(pg);
            Map<String, String> env = Map.of(
                    "STEADFAST_INDEX_URL", pg.jdbcUrl(),
                    "STEADFAST_INDEX_USER", "postgres",
                    "STEADFAST_DICOM_PROXY_PROTOCOL_TRUSTED", Haproxy.BALANCER_ADDRESS + "/32", // deploy/haproxy.cfg: send-proxy-v2
                    "STEADFAST_STORAGE_PATH", tmp.resolve("shared-storage").toString(),
                    "STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST", "64");
            List<String> lines = new ArrayList<>();
            List<String> details = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (Config config : configs) {
                    List<ServeProcess> nodes = new ArrayList<>();
                    String tag = config.label() + "-r" + round;
                    try {
                        for (String p : phases.split(",")) {
                            // "N" or "NxA": N nodes (started as needed, kept for later phases), A associations
                            String[] na = p.strip().split("x");
                            int n = Integer.parseInt(na[0]);
                            int a = na.length > 1 ? Integer.parseInt(na[1]) : associations;
                            while (nodes.size() < n) {
                                nodes.add(node(config, tag, nodes.size() + 1, env, profile));
                            }
                            lines.add(phase(pg, nodes.subList(0, n), tag, instances, a, kib, statements, details));
                        }
                    } finally {
                        nodes.forEach(ServeProcess::close);
                    }
                }
            }
            details.forEach(System.out::println);
            System.out.printf("cluster throughput: %d instances of %d KiB per phase, %d associations through HAProxy, %d cores%n"
                    + "nodes  instances/s  node CPU s/1000 (total; per node)  PostgreSQL CPU s/1000 (primary+standby)  HAProxy CPU s/1000  idle node CPU ms/s  config%n",
                    instances, kib, associations, Runtime.getRuntime().availableProcessors());
            lines.forEach(System.out::println);
        }
    }

    private ServeProcess node(Config config, String tag, int n, Map<String, String> env, String profile)
            throws Exception {
        List<String> options = new ArrayList<>(config.jvmOptions());
        if (!profile.isBlank()) {
            Path dir = Path.of(profile);
            java.nio.file.Files.createDirectories(dir);
            options.add("-XX:StartFlightRecording=filename=" + dir.resolve(tag + "-node" + n + ".jfr")
                    + ",jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=5ms");
        }
        return ServeProcess.start("node" + n, tmp.resolve(tag + "-node" + n), env, options, config.classPath());
    }

    private String phase(StreamingPostgres pg, List<ServeProcess> nodes, String tag, int instances, int associations,
            int kib, boolean statements, List<String> details) throws Exception {
        try (Haproxy lb = Haproxy.start(tmp.resolve("haproxy-" + tag + "-" + nodes.size()), nodes.stream()
                .map(n -> new Haproxy.Backend(n.dicomPort(), n.httpPort())).toList())) {
            Thread.sleep(3000); // the health checks bring every server up (rise 2, every second)
            // Warm-up: JIT and connection pools, 300 instances per node so that nodes started just
            // before this phase do not compile their hot paths inside the measured part.
            send(lb, 300 * nodes.size(), associations, kib);
            // The fixed cost of a node doing nothing behind HAProxy: health checks (2 a second),
            // heartbeats, job polling, storage probes.
            Duration idleStart = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus);
            Map<String, Long> idle0 = threadTicks(nodes);
            int idleSeconds = Integer.getInteger("steadfast.cluster.idle-seconds", 10);
            Thread.sleep(idleSeconds * 1000L);
            double idleMsPerSecondPerNode = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus)
                    .minus(idleStart).toMillis() / (double) idleSeconds / nodes.size();
            // per node and second, in ms: what an idle node's CPU goes to (health checks, heartbeats, polling)
            String idleKinds = threadShares(idle0, threadTicks(nodes), 1000.0 / idleSeconds / nodes.size());
            if (statements) {
                pg.sql(pg.primary(), "SELECT pg_stat_statements_reset()");
            }
            Map<String, Long> threads0 = threadTicks(nodes);
            Duration nodeCpu = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus);
            Duration pgCpu = pg.cpu(pg.primary()).plus(pg.cpu(pg.standby()));
            Duration lbCpu = lb.cpu();
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            int stored = send(lb, instances, associations, kib);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long wall1 = System.currentTimeMillis();
            assertThat(stored).isEqualTo(instances);
            Map<String, Long> threads1 = threadTicks(nodes);
            double nodeS = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus).minus(nodeCpu).toMillis() / 1000.0;
            double pgS = pg.cpu(pg.primary()).plus(pg.cpu(pg.standby())).minus(pgCpu).toMillis() / 1000.0;
            double lbS = lb.cpu().minus(lbCpu).toMillis() / 1000.0;
            double per1000 = 1000.0 / instances;
            String label = tag + " " + nodes.size() + "n x" + associations;
            details.add(String.format("phase %s: measured window %d-%d (epoch ms); node pids %s", label, wall0, wall1,
                    nodes.stream().map(n -> String.valueOf(n.pid())).toList()));
            details.add(String.format("phase %s: idle node CPU ms/s per node by thread kind: %s", label, idleKinds));
            details.add(String.format("phase %s: node CPU s/1000 by thread kind (all nodes): %s", label,
                    threadShares(threads0, threads1, 1000.0 / instances)));
            if (statements) {
                details.add(String.format(Locale.ROOT, "phase %s: statements per instance (calls | execution ms | statement):",
                        label));
                String top = pg.sql(pg.primary(), "SELECT round(calls::numeric / " + instances + ", 3) || ' | '"
                        + " || round(total_exec_time::numeric / " + instances + ", 4) || ' ms | ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                        + " FROM pg_stat_statements WHERE calls >= " + (instances / 20) + " ORDER BY calls DESC LIMIT 25");
                top.lines().forEach(l -> details.add("    " + l));
            }
            return String.format("%5d  %11.0f  %8.2f ; %.2f  %27.2f  %22.2f  %14.0f  %s x%d", nodes.size(), instances / seconds,
                    nodeS * per1000, nodeS * per1000 / nodes.size(), pgS * per1000, lbS * per1000, idleMsPerSecondPerNode,
                    tag, associations);
        }
    }

    /**
     * CPU clock ticks of the nodes' threads so far, summed by kind (the thread name without digits:
     * "C1 CompilerThre", "GC Thread#", "VM Thread", the application's pools): what is the JVM's own
     * work (JIT, GC) and what is the archive's. Linux /proc; threads that ended are missed.
     */
    private static Map<String, Long> threadTicks(List<ServeProcess> nodes) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (ServeProcess n : nodes) {
            try (var tasks = java.nio.file.Files.list(Path.of("/proc/" + n.pid() + "/task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        String stat = java.nio.file.Files.readString(t.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                        out.merge(comm.replaceAll("[0-9]+", "#").strip() + "@" + n.name() + "/" + t.getFileName(), ticks, Long::sum);
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (java.io.IOException e) {
                // the node is gone
            }
        }
        return out;
    }

    /** Seconds of CPU per 1,000 instances by thread kind between two {@link #threadTicks} readings, largest first. */
    private static String threadShares(Map<String, Long> before, Map<String, Long> after, double per1000) {
        Map<String, Double> byKind = new java.util.HashMap<>();
        after.forEach((thread, ticks) -> {
            String kind = thread.substring(0, thread.indexOf('@'));
            byKind.merge(kind, (ticks - before.getOrDefault(thread, 0L)) / 100.0 * per1000, Double::sum);
        });
        return byKind.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** pg_stat_statements loaded (steadfast.pg.options): the extension is created so phases can count statements. */
    private static boolean statementsAvailable(StreamingPostgres pg) {
        try {
            pg.sql(pg.primary(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            pg.sql(pg.primary(), "SELECT count(*) FROM pg_stat_statements");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Stores {@code count} new instances over {@code associations} associations through the balancer. */
    private static int send(Haproxy lb, int count, int associations, int kib) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(count);
        AtomicLong ok = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < associations; a++) {
            threads.add(Thread.ofVirtual().start(() -> {
                ClientOptions o = new ClientOptions().callingAeTitle("BENCH").calledAeTitle("STEADFAST")
                        .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
                String study = Instances.uid();
                String series = Instances.uid();
                byte[] pixels = new byte[kib * 1024];
                ThreadLocalRandom.current().nextBytes(pixels);
                try (DimseClient c = DimseClient.open("127.0.0.1", lb.dicomPort(), o)) {
                    while (left.getAndDecrement() > 0) {
                        String sop = Instances.uid();
                        Dataset ds = Instances.image(study, series, sop, kib * 1024);
                        ds.setBytes(Tag.PixelData, VR.OB, pixels);
                        byte[] encoded = DicomWriter.encode(ds, UID.ExplicitVRLittleEndian);
                        if (c.store(Instances.source(UID.SecondaryCaptureImageStorage, sop, encoded), null, -1).status().isSuccess()) {
                            ok.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return (int) ok.get();
    }
}
