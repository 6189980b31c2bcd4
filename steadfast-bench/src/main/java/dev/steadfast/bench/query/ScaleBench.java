package dev.steadfast.bench.query;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.load.StoreLoad;
import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.peers.Peers;
import dev.steadfast.bench.peers.PgCluster;
import dev.steadfast.bench.util.Args;
import dev.steadfast.bench.util.Stats;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Issue 19 at scale: ingest into an index that already holds millions of instances against ingest
 * into an empty one, alternating in the same run (empty, seeded, seeded, empty, ...: a fresh
 * {@code steadfast serve} each time, warm-up instances first), then C-FIND and QIDO-RS latency on the
 * seeded index ({@link QueryLatency}). The seeded index comes from {@code seed.BulkSeeder}; after each
 * run the instances sent are deleted from it again (rows whose calling AE is not the seeder's, with
 * the server stopped), so every round meets the same 2 million rows. The data sent must not come from
 * the seeder's generator seed (its UIDs would be duplicates): bench/scale.sh generates it with seed 19.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.query.ScaleBench --work DIR --index JDBC --data CT_DIR --warmup DIR
 *      [--pg-dir DIR --pg-port P] [--assocs 1,4] [--rounds 3] [--queries 200] [--warmup-queries 30]
 *      [--seed 1] [--pool-studies 10000] [--skip-ingest] [--skip-query] [--variant LABEL=URL_SUFFIX,...] [--out scale.tsv]</pre>
 * A variant is the seeded index opened with something appended to its URL (SQLite pragmas as query
 * parameters, e.g. {@code nockpt=?wal_autocheckpoint=0}), measured in the same alternation.
 */
public final class ScaleBench {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "ScaleBench --work DIR --index JDBC --data DIR --warmup DIR [--pg-dir DIR --pg-port P]"
                + " [--assocs 1,4] [--rounds 3] [--queries 200] [--warmup-queries 30] [--out FILE]");
        Path work = Path.of(a.required("work"));
        String seeded = a.required("index");
        boolean pgDb = seeded.startsWith("jdbc:postgresql:");
        PgCluster pg = a.get("pg-dir", null) == null ? null : PgCluster.start(Path.of(a.get("pg-dir", null)), a.getInt("pg-port", 15432));
        if (pgDb && pg == null) {
            throw new IllegalArgumentException("a PostgreSQL index needs --pg-dir");
        }
        String db = pgDb ? "pg" : "sqlite";
        Map<String, String> variants = new LinkedHashMap<>(); // --variant LABEL=SUFFIX: e.g. ?wal_autocheckpoint=0 on SQLite
        for (String v : a.list("variant", "")) {
            if (!v.isBlank()) {
                variants.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
            }
        }
        Peers peers = new Peers(work, pg);
        try (PrintStream tsv = new PrintStream(Files.newOutputStream(Path.of(a.get("out", "scale.tsv")),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            tsv.println("# " + java.time.Instant.now() + " " + String.join(" ", argv) + "  load " + load());
            cleanup(seeded); // a run interrupted earlier may have left its instances
            long rows = count(seeded);
            if (!a.flag("skip-ingest")) {
                List<Path> files = StoreLoad.manifest(Path.of(a.required("data")));
                List<Path> warm = StoreLoad.manifest(Path.of(a.required("warmup")));
                tsv.println("db\tindex\tindex_rows\tassocs\tround\tinstances\tseconds\tinst_per_s\tcpu_ms_per_inst\tfailures\tload");
                Map<String, List<Double>> rates = new LinkedHashMap<>();
                Map<String, List<Double>> cpus = new LinkedHashMap<>();
                for (String n : a.list("assocs", "1,4")) {
                    int assocs = Integer.parseInt(n);
                    for (int round = 0; round < a.getInt("rounds", 3); round++) {
                        // A B B A A B ...: neither side always goes first; variants: the seeded index with other URL options
                        List<String> order = new ArrayList<>(List.of("empty", "seeded"));
                        order.addAll(variants.keySet());
                        java.util.Collections.rotate(order, round);
                        for (String side : order) {
                            boolean full = !side.equals("empty");
                            String jdbc = !full ? empty(pg, work, db) : seeded + variants.getOrDefault(side, "");
                            Path dir = work.resolve("serve-" + db + "-" + side);
                            Peers.deleteTree(dir);
                            StoreLoad.Result r;
                            double cpu;
                            try (Peer p = peers.serveOn(dir, jdbc, null)) {
                                StoreLoad.send("ours", "127.0.0.1", p.dicomPort(), p.aeTitle(), warm, 1);
                                double cpu0 = p.cpuSeconds();
                                r = StoreLoad.send("storescu", "127.0.0.1", p.dicomPort(), p.aeTitle(), files, assocs);
                                cpu = p.cpuSeconds() - cpu0;
                            }
                            if (full) {
                                cleanup(seeded);
                            }
                            String key = side + " x" + assocs;
                            rates.computeIfAbsent(key, k -> new ArrayList<>()).add(r.instancesPerSecond());
                            cpus.computeIfAbsent(key, k -> new ArrayList<>()).add(cpu * 1000 / r.instances());
                            tsv.printf(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%d\t%.3f\t%.1f\t%.2f\t%d\t%s%n", db, side,
                                    full ? rows : 0, assocs, round, r.instances(), r.seconds(), r.instancesPerSecond(),
                                    cpu * 1000 / r.instances(), r.failures(), load());
                            System.out.printf(Locale.ROOT, "%s %-6s x%d #%d %7.1f inst/s  cpu %.2f ms/inst  failures %d%n", db,
                                    side, assocs, round, r.instancesPerSecond(), cpu * 1000 / r.instances(),
                                    r.failures());
                        }
                    }
                    double e = Stats.median(rates.get("empty x" + assocs));
                    double s = Stats.median(rates.get("seeded x" + assocs));
                    String line = String.format(Locale.ROOT, "# %s x%d: median empty %.1f inst/s (cpu %.2f ms), seeded (%d rows) %.1f"
                            + " inst/s (cpu %.2f ms): seeded/empty %.2f", db, assocs, e, Stats.median(cpus.get("empty x" + assocs)),
                            rows, s, Stats.median(cpus.get("seeded x" + assocs)), s / e);
                    tsv.println(line);
                    System.out.println(line);
                    for (String v : variants.keySet()) {
                        String vl = String.format(Locale.ROOT, "# %s x%d: seeded %s (%s) %.1f inst/s (cpu %.2f ms): /empty %.2f", db, assocs, v,
                                variants.get(v), Stats.median(rates.get(v + " x" + assocs)), Stats.median(cpus.get(v + " x" + assocs)),
                                Stats.median(rates.get(v + " x" + assocs)) / e);
                        tsv.println(vl);
                        System.out.println(vl);
                    }
                }
            }
            if (!a.flag("skip-query")) {
                DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.INDEX, a.getInt("pool-studies", 10_000));
                Path dir = work.resolve("serve-" + db + "-query");
                Peers.deleteTree(dir);
                tsv.println("server\tinstances\tstudies\tprotocol\tquery\tp50_ms\tp95_ms\tp99_ms\tmedian_matches\tn");
                try (Peer p = peers.serveOn(dir, seeded, null)) {
                    QueryBench.measure(tsv, "serve-" + db, p, gen, rows, a.getInt("warmup-queries", 30),
                            a.getInt("queries", 200), a.getLong("seed", 1));
                    admin(tsv, "serve-" + db, p, rows);
                }
                tsv.println("# load after queries " + load());
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** The admin API's views that sum the index up: the study list (both sorts) and the statistics. */
    private static void admin(PrintStream tsv, String server, Peer p, long rows) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/api/studies?limit=50", "/api/studies?limit=50&sort=studyDate", "/api/studies?limit=50&offset=10000",
                "/api/statistics")) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                long t0 = System.nanoTime();
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + p.httpPort() + path))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
                }
                if (i >= 3) { // 3 warm-up requests
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
            String line = String.format(Locale.ROOT, "%s\t%d\tadmin\t%s\tp50 %.1f\tmax %.1f ms (n=%d)", server, rows, path,
                    Stats.median(ms), ms.stream().mapToDouble(Double::doubleValue).max().orElse(0), ms.size());
            tsv.println(line);
            System.out.println("  " + line.replace('\t', ' '));
        }
    }

    /** An empty index for one run: a new PostgreSQL database, or serve's default SQLite file in a fresh directory. */
    private static String empty(PgCluster pg, Path work, String db) throws Exception {
        if (!db.equals("pg")) {
            return null;
        }
        pg.createDatabase("scale_empty");
        return pg.jdbcUrl("scale_empty");
    }

    /** Removes what the benchmark sent (everything the seeder did not write) from the seeded index. */
    static void cleanup(String jdbc) throws Exception {
        try (Connection c = connect(jdbc); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            int n = s.executeUpdate("DELETE FROM instance WHERE calling_ae IS NULL OR calling_ae <> 'SEEDER'");
            s.executeUpdate("DELETE FROM series WHERE NOT EXISTS (SELECT 1 FROM instance i WHERE i.series_fk = series.id)");
            s.executeUpdate("DELETE FROM study WHERE NOT EXISTS (SELECT 1 FROM series se WHERE se.study_fk = study.id)");
            s.executeUpdate("DELETE FROM patient WHERE NOT EXISTS (SELECT 1 FROM study st WHERE st.patient_fk = patient.id)");
            c.commit();
            if (n > 0) {
                System.out.println("  removed the " + n + " instances sent from the seeded index");
            }
        }
    }

    static long count(String jdbc) throws Exception {
        try (Connection c = connect(jdbc); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM instance")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(String jdbc) throws Exception {
        Properties p = new Properties();
        if (jdbc.startsWith("jdbc:postgresql:")) {
            p.setProperty("user", "postgres");
        }
        return DriverManager.getConnection(jdbc, p);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
