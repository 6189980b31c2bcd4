package dev.steadfast.bench.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Generate;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.load.StoreLoad;
import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.peers.Peers;
import dev.steadfast.bench.peers.PgCluster;
import dev.steadfast.bench.seed.IndexSeeder;
import dev.steadfast.bench.util.Args;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Query latency at scale. For each index database (SQLite file, PostgreSQL database) the index is
 * seeded step by step ({@link IndexSeeder}: the real ingest path, storage discarded) to each scale;
 * at each scale an archive node is started on it and C-FIND and QIDO-RS latencies are measured
 * ({@link QueryLatency}). Orthanc (SQLite default, DICOMweb plugin) is loaded with the same
 * instances over C-STORE at the Orthanc scales and measured the same way.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.query.QueryBench --work DIR [--pg-dir DIR --pg-port 15432]
 *      [--dbs sqlite,pg] [--scales 10000,100000,1000000] [--orthanc-scales 10000] [--queries 200] [--warmup 30]
 *      [--seed 1] [--pool-studies 10000] [--threads 2] [--node serve|bench] [--resume] [--out query.tsv]</pre>
 * The node is {@code steadfast serve} (default) or the in-bench {@code BenchNode}.
 */
public final class QueryBench {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "QueryBench --work DIR [--pg-dir DIR] [--dbs sqlite,pg] [--scales ...] [--orthanc-scales ...]"
                + " [--queries 200] [--warmup 30] [--seed 1] [--pool-studies 10000] [--threads 2] [--out FILE]");
        Path work = Path.of(a.required("work"));
        long seed = a.getLong("seed", 1);
        DatasetGenerator gen = new DatasetGenerator(seed, Profile.INDEX, a.getInt("pool-studies", 10_000));
        int queries = a.getInt("queries", 200);
        int warmup = a.getInt("warmup", 30);
        int threads = a.getInt("threads", 2);
        boolean serve = a.get("node", "serve").equals("serve"); // or "bench": the in-bench BenchNode
        PgCluster pg = a.get("pg-dir", null) == null ? null : PgCluster.start(Path.of(a.get("pg-dir", null)), a.getInt("pg-port", 15432));
        Peers peers = new Peers(work, pg);
        try (PrintStream tsv = new PrintStream(Files.newOutputStream(Path.of(a.get("out", "query-results.tsv")),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            tsv.println("# " + java.time.Instant.now() + " " + String.join(" ", argv));
            tsv.println("server\tinstances\tstudies\tprotocol\tquery\tp50_ms\tp95_ms\tp99_ms\tmedian_matches\tn");
            for (String db : a.list("dbs", "sqlite")) {
                Path dir = work.resolve("q-" + db);
                String jdbc;
                if (db.equals("pg")) {
                    if (pg == null) {
                        throw new IllegalArgumentException("--dbs pg needs --pg-dir");
                    }
                    if (!a.flag("resume")) {
                        pg.createDatabase("steadfast_q");
                    }
                    jdbc = pg.jdbcUrl("steadfast_q");
                } else {
                    if (!a.flag("resume")) {
                        Peers.deleteTree(dir);
                    }
                    Files.createDirectories(dir);
                    jdbc = "jdbc:sqlite:" + dir.resolve("index.db").toAbsolutePath();
                }
                IndexConfig ic = db.equals("pg") ? IndexConfig.postgres(jdbc, "postgres", null)
                        : IndexConfig.sqlite(dir.resolve("index.db"));
                for (String s : a.list("scales", "10000,100000")) {
                    long scale = Long.parseLong(s.replace("_", ""));
                    try (Index index = Index.open(ic)) {
                        long have = IndexSeeder.count(index);
                        if (db.equals("pg")) {
                            pg.psql("ALTER DATABASE steadfast_q SET synchronous_commit = off");
                        }
                        long t0 = System.nanoTime();
                        long added = have < scale ? IndexSeeder.seed(index, gen, have, scale, threads) : 0;
                        double sec = (System.nanoTime() - t0) / 1e9;
                        System.out.printf(Locale.ROOT, "%s: seeded %d -> %d instances in %.1f s (%.0f/s)%n", db, have,
                                IndexSeeder.count(index), sec, added / Math.max(sec, 1e-9));
                        tsv.printf(Locale.ROOT, "# seed %s %d -> %d in %.1f s (%.0f instances/s)%n", db, have, scale, sec,
                                added / Math.max(sec, 1e-9));
                    }
                    if (db.equals("pg")) {
                        pg.psql("ALTER DATABASE steadfast_q RESET synchronous_commit");
                        pg.psql("ANALYZE"); // what autovacuum does soon after a bulk load; see docs/PERFORMANCE.md
                    }
                    String nodeJdbc = db.equals("pg") ? jdbc : null;
                    try (Peer node = serve ? peers.serveOn(dir, nodeJdbc, null) : peers.steadfastOn(dir, nodeJdbc, null)) {
                        measure(tsv, (serve ? "serve-" : "benchnode-") + db, node, gen, scale, warmup, queries, seed);
                    }
                }
            }
            for (String s : a.list("orthanc-scales", "")) {
                if (s.isBlank()) {
                    continue;
                }
                long scale = Long.parseLong(s.replace("_", ""));
                Path files = work.resolve("orthanc-files-" + scale);
                if (!Files.exists(files.resolve("manifest.tsv"))) {
                    Generate.write(gen, 0, studiesFor(gen, scale), scale, files, threads);
                }
                try (Peer orthanc = peers.start("orthanc", true)) {
                    long t0 = System.nanoTime();
                    StoreLoad.Result r = StoreLoad.send("ours", "127.0.0.1", orthanc.dicomPort(), orthanc.aeTitle(),
                            StoreLoad.manifest(files), 4);
                    System.out.printf(Locale.ROOT, "orthanc: loaded %d instances in %.1f s (%d failures)%n", r.instances(),
                            (System.nanoTime() - t0) / 1e9, r.failures());
                    measure(tsv, "orthanc", orthanc, gen, scale, warmup, queries, seed);
                }
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** How many studies hold the first {@code instances} instances of the generator. */
    static int studiesFor(DatasetGenerator gen, long instances) {
        long pos = 0;
        int s = 0;
        while (pos < instances) {
            pos += gen.study(s++).instances();
        }
        return s;
    }

    static void measure(PrintStream tsv, String server, Peer peer, DatasetGenerator gen, long scale, int warmup,
                                int queries, long seed) throws Exception {
        int studies = studiesFor(gen, scale);
        // Queries pick among fully loaded studies only.
        int loaded = Math.max(1, studies - 1);
        List<QueryLatency.Result> find = QueryLatency.cfind("127.0.0.1", peer.dicomPort(), peer.aeTitle(), gen, loaded, warmup,
                queries, seed);
        List<QueryLatency.Result> qido = QueryLatency.qido(peer.qidoBase(), gen, loaded, warmup, queries, seed);
        System.out.printf(Locale.ROOT, "%s at %d instances (%d studies):%n", server, scale, studies);
        for (var p : List.of(List.of("C-FIND", find), List.of("QIDO-RS", qido))) {
            @SuppressWarnings("unchecked")
            List<QueryLatency.Result> rs = (List<QueryLatency.Result>) p.get(1);
            for (QueryLatency.Result r : rs) {
                System.out.println("  " + p.get(0) + "  " + QueryLatency.format(r));
                tsv.printf(Locale.ROOT, "%s\t%d\t%d\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.0f\t%d%n", server, scale, studies, p.get(0), r.kind(),
                        r.p50(), r.p95(), r.p99(), r.medianMatches(), r.n());
            }
        }
    }
}
