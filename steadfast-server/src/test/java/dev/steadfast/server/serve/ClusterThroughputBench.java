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
 */
class ClusterThroughputBench {
    @TempDir
    Path tmp;

    @Test
    void oneNodeThenThreeNodesThroughHaproxy() throws Exception {
        int instances = Integer.getInteger("steadfast.cluster.instances", 3000);
        int associations = Integer.getInteger("steadfast.cluster.associations", 8);
        int kib = Integer.getInteger("steadfast.cluster.kib", 64);
        try (StreamingPostgres pg = StreamingPostgres.start()) {
            Map<String, String> env = Map.of(
                    "STEADFAST_INDEX_URL", pg.jdbcUrl(),
                    "STEADFAST_INDEX_USER", "postgres",
                    "STEADFAST_DICOM_PROXY_PROTOCOL_TRUSTED", Haproxy.BALANCER_ADDRESS + "/32", // deploy/haproxy.cfg: send-proxy-v2
                    "STEADFAST_STORAGE_PATH", tmp.resolve("shared-storage").toString(),
                    "STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST", "64");
            List<ServeProcess> nodes = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            try {
                nodes.add(ServeProcess.start("node1", tmp.resolve("node1"), env));
                lines.add(phase(pg, nodes, instances, associations, kib));
                nodes.add(ServeProcess.start("node2", tmp.resolve("node2"), env));
                nodes.add(ServeProcess.start("node3", tmp.resolve("node3"), env));
                lines.add(phase(pg, nodes, instances, associations, kib));
            } finally {
                nodes.forEach(ServeProcess::close);
            }
            System.out.printf("cluster throughput: %d instances of %d KiB per phase, %d associations through HAProxy, %d cores%n"
                    + "nodes  instances/s  node CPU s/1000 (total; per node)  PostgreSQL CPU s/1000 (primary+standby)  HAProxy CPU s/1000  idle node CPU ms/s%n",
                    instances, kib, associations, Runtime.getRuntime().availableProcessors());
            lines.forEach(System.out::println);
        }
    }

    private String phase(StreamingPostgres pg, List<ServeProcess> nodes, int instances, int associations, int kib) throws Exception {
        try (Haproxy lb = Haproxy.start(tmp.resolve("haproxy-" + nodes.size()), nodes.stream()
                .map(n -> new Haproxy.Backend(n.dicomPort(), n.httpPort())).toList())) {
            Thread.sleep(3000); // the health checks bring every server up (rise 2, every second)
            // Warm-up: JIT and connection pools, 300 instances per node so that nodes started just
            // before this phase do not compile their hot paths inside the measured part.
            send(lb, 300 * nodes.size(), associations, kib);
            // The fixed cost of a node doing nothing behind HAProxy: health checks (2 a second),
            // heartbeats, job polling, storage probes.
            Duration idleStart = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus);
            Thread.sleep(10_000);
            double idleMsPerSecondPerNode = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus)
                    .minus(idleStart).toMillis() / 10.0 / nodes.size();
            Duration nodeCpu = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus);
            Duration pgCpu = pg.cpu(pg.primary()).plus(pg.cpu(pg.standby()));
            Duration lbCpu = lb.cpu();
            long t0 = System.nanoTime();
            int stored = send(lb, instances, associations, kib);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(stored).isEqualTo(instances);
            double nodeS = nodes.stream().map(ServeProcess::cpu).reduce(Duration.ZERO, Duration::plus).minus(nodeCpu).toMillis() / 1000.0;
            double pgS = pg.cpu(pg.primary()).plus(pg.cpu(pg.standby())).minus(pgCpu).toMillis() / 1000.0;
            double lbS = lb.cpu().minus(lbCpu).toMillis() / 1000.0;
            double per1000 = 1000.0 / instances;
            return String.format("%5d  %11.0f  %8.1f ; %.1f  %27.1f  %22.1f  %14.0f", nodes.size(), instances / seconds,
                    nodeS * per1000, nodeS * per1000 / nodes.size(), pgS * per1000, lbS * per1000, idleMsPerSecondPerNode);
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
