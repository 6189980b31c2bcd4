package dev.steadfast.bench.seed;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.data.StudyPlan;
import dev.steadfast.bench.data.StudyPlan.SeriesPlan;
import dev.steadfast.bench.util.Args;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills an index with generated instances (profile {@code index}: about 100 instances per study,
 * 8x8 pixel data) through the archive's own ingest path: {@link IngestService#store} for every
 * instance, one instance per index transaction as a C-STORE would do it (header parse, digests,
 * duplicate check, patient/study/series upserts, instance insert, modalities refresh). The one
 * difference from a real ingest is the storage target ({@link DiscardingStorage}: nothing written,
 * no fsync). Instances go in generator order over T threads.
 *
 * <p>Resumable and incremental: it counts the instances already in the index and continues from
 * there, so seeding to 10k, measuring, then seeding to 100k gives the same index as seeding 100k
 * at once. {@code --pool-studies} fixes the patient pool (keep it the same across steps).
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.seed.IndexSeeder --index jdbc:sqlite:FILE --instances 100000
 *      [--seed 1] [--pool-studies 10000] [--threads 2] [--user postgres]</pre>
 */
public final class IndexSeeder {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "IndexSeeder --index JDBC --instances N [--seed 1] [--pool-studies 10000] [--threads 2] [--user U]");
        String jdbc = a.required("index");
        IndexConfig ic = jdbc.startsWith("jdbc:sqlite:") ? IndexConfig.sqlite(Path.of(jdbc.substring("jdbc:sqlite:".length())))
                : IndexConfig.postgres(jdbc, a.get("user", "postgres"), null);
        long target = a.getLong("instances", 10_000);
        DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.INDEX, a.getInt("pool-studies", 10_000));
        int threads = a.getInt("threads", 2);
        try (Index index = Index.open(ic)) {
            long existing = count(index);
            long t0 = System.nanoTime();
            long added = seed(index, gen, existing, target, threads);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "index %s: %d instances before, %d added in %.1f s (%.0f instances/s), %d now%n",
                    ic, existing, added, s, added / s, count(index));
        }
    }

    public static long count(Index index) {
        return index.read(tx -> {
            try (Statement st = tx.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM instance")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Ingests generator instances number {@code from} (0-based, in generator order) up to {@code to}. */
    public static long seed(Index index, DatasetGenerator gen, long from, long to, int threads) throws Exception {
        IngestService ingest = new IngestService(new DiscardingStorage(), index, IngestConfig.DEFAULT);
        // Work items: one series each (or the part of it that falls in [from, to)).
        List<long[]> items = new ArrayList<>(); // {study, seriesIndex, firstInstance(1-based), lastInstance}
        long pos = 0;
        for (int s = 0; pos < to; s++) {
            StudyPlan st = gen.study(s);
            for (int k = 0; k < st.series().size() && pos < to; k++) {
                int n = st.series().get(k).instances();
                long start = Math.max(pos, from);
                long end = Math.min(pos + n, to);
                if (start < end) {
                    items.add(new long[] {s, k, start - pos + 1, end - pos});
                }
                pos += n;
            }
        }
        AtomicLong done = new AtomicLong();
        long total = Math.max(0, to - from);
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> fs = new ArrayList<>();
            for (long[] it : items) {
                fs.add(pool.submit(() -> {
                    StudyPlan st = gen.study((int) it[0]);
                    SeriesPlan se = st.series().get((int) it[1]);
                    for (int n = (int) it[2]; n <= it[3]; n++) {
                        byte[] bytes = DicomWriter.encode(gen.instance(st, se, n), UID.ExplicitVRLittleEndian);
                        ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian, "SEEDER");
                        long d = done.incrementAndGet();
                        if (d % 50_000 == 0) {
                            double sec = (System.nanoTime() - t0) / 1e9;
                            System.out.printf(Locale.ROOT, "  %d / %d (%.0f/s)%n", d, total, d / sec);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        return done.get();
    }
}
