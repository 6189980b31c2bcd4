package dev.steadfast.server.serve;

import dev.steadfast.server.testing.ServeProcess;
import dev.steadfast.testing.Haproxy;
import dev.steadfast.testing.Peers;
import dev.steadfast.testing.S3Proxy;
import dev.steadfast.testing.StreamingPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the chaos run breaks: {@code nodes} serve processes behind HAProxy (the shipped
 * configuration), on a PostgreSQL primary with a synchronous hot standby (pgjdbc multi-host URL)
 * and on two storage targets every node reaches, a shared folder and s3proxy, with the write
 * policy "1 of 2" (either may be down), and the ingest journal on a shared folder (each node's
 * sub-folder, drained by the others when it is dead); plus a dcmtk storescp as the C-MOVE destination.
 * Everything on loopback, stopped by PID at {@link #close()}.
 */
final class ChaosCluster implements AutoCloseable {
    static final String MOVE_DESTINATION = "STORESCP";

    final StreamingPostgres pg;
    final S3Proxy s3;
    final List<ServeProcess> nodes = new ArrayList<>();
    final Haproxy lb;
    final Process storescp;

    private ChaosCluster(StreamingPostgres pg, S3Proxy s3, Process storescp, Haproxy lb) {
        this.pg = pg;
        this.s3 = s3;
        this.storescp = storescp;
        this.lb = lb;
    }

    static ChaosCluster start(Path dir, int nodeCount) throws Exception {
        String storescpTool = Peers.tool("storescp");
        Peers.tool("haproxy");
        StreamingPostgres.requireBinaries();
        StreamingPostgres pg = null;
        S3Proxy s3 = null;
        Process scp = null;
        List<ServeProcess> nodes = new ArrayList<>();
        try {
            pg = StreamingPostgres.start();
            s3 = S3Proxy.started(dir.resolve("s3"));
            s3.createBucket("pacs");
            int scpPort = Peers.freePort();
            Path received = Files.createDirectories(dir.resolve("storescp"));
            scp = Peers.start(List.of(storescpTool, "-aet", MOVE_DESTINATION, "-od", received.toString(), String.valueOf(scpPort)), dir.resolve("storescp.log"));
            Peers.awaitPort(scpPort, scp, 30_000);
            Map<String, String> env = Map.of(
                    "STEADFAST_INDEX_URL", pg.jdbcUrl(),
                    "STEADFAST_INDEX_USER", "postgres",
                    "STEADFAST_DICOM_PROXY_PROTOCOL_TRUSTED", Haproxy.BALANCER_ADDRESS + "/32", // deploy/haproxy.cfg: send-proxy-v2
                    "STEADFAST_STORAGE_TARGETS", "fs:" + dir.resolve("shared-storage") + ",s3://pacs?endpoint="
                            + s3.endpoint() + "&access-key-id=" + S3Proxy.IDENTITY + "&secret-access-key=" + S3Proxy.CREDENTIAL,
                    "STEADFAST_STORAGE_WRITE_POLICY", "1 of 2",
                    "STEADFAST_STORAGE_HEALTH_INTERVAL_SECONDS", "1",
                    "STEADFAST_STORAGE_REPAIR_INTERVAL_SECONDS", "5",
                    "STEADFAST_DICOM_MAX_ASSOCIATIONS_PER_HOST", "64", // every test client calls from 127.0.0.1
                    "STEADFAST_REMOTE_AES", "storescp=" + MOVE_DESTINATION + "@127.0.0.1:" + scpPort);
            // The first node migrates the schema; the others start together once it has.
            nodes.add(ServeProcess.start("node1", dir.resolve("node1"), nodeEnv(env, dir, "node1")));
            List<CompletableFuture<ServeProcess>> rest = new ArrayList<>();
            for (int i = 2; i <= nodeCount; i++) {
                String name = "node" + i;
                rest.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ServeProcess.start(name, dir.resolve(name), nodeEnv(env, dir, name));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (var f : rest) {
                nodes.add(f.join());
            }
            Haproxy lb = Haproxy.start(dir.resolve("haproxy"), nodes.stream()
                    .map(n -> new Haproxy.Backend(n.dicomPort(), n.httpPort())).toList());
            ChaosCluster c = new ChaosCluster(pg, s3, scp, lb);
            c.nodes.addAll(nodes);
            return c;
        } catch (Exception | Error e) {
            nodes.forEach(ServeProcess::close);
            Peers.stop(scp);
            if (s3 != null) {
                s3.close();
            }
            if (pg != null) {
                pg.close();
            }
            throw e;
        }
    }

    /** The cluster's environment plus this node's id; the ingest journal on the shared folder (docs/DEPLOYMENT.md). */
    private static Map<String, String> nodeEnv(Map<String, String> env, Path dir, String name) {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("STEADFAST_CLUSTER_NODE_ID", name);
        e.put("STEADFAST_CLUSTER_JOURNAL_DIR", dir.resolve("shared-journal").toString());
        return e;
    }

    /** Waits until HAProxy sees every node up on both ports (a guard of 120 s). */
    void awaitAllUp() throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            var web = lb.servers("steadfast_web");
            var dicom = lb.servers("steadfast_dicom");
            if (web.size() == nodes.size() && web.values().stream().allMatch(s -> s.status().equals("UP"))
                    && dicom.values().stream().allMatch(s -> s.status().equals("UP"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not every node up in HAProxy within 120 s: " + lb.servers("steadfast_web"));
    }

    @Override
    public void close() {
        lb.close();
        nodes.forEach(ServeProcess::close);
        Peers.stop(storescp);
        s3.close();
        pg.close();
    }
}
