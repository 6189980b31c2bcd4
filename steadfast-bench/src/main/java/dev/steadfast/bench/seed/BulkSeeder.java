package dev.steadfast.bench.seed;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.DicomText;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.Metadata;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.data.StudyPlan;
import dev.steadfast.bench.data.StudyPlan.SeriesPlan;
import dev.steadfast.bench.peers.PgCluster;
import dev.steadfast.bench.util.Args;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fills an index with millions of generated instances fast (issue 19): the rows the archive's ingest
 * would write for the generator's instances (the same values {@code IndexedAttributes} takes from a
 * header, the header's compact metadata from {@link Metadata#encode}, storage key, digests), written
 * in large batches, one transaction each: multi-row batches on SQLite ({@code synchronous=OFF} on the
 * seeder's own connection only), {@code COPY} on PostgreSQL ({@code synchronous_commit=off} for the
 * session only). The schema and its indexes are the migrations' ({@link Index#open} runs them first),
 * so the result is the index a real archive would have; {@link IndexSeeder} (one C-STORE-like
 * transaction per instance) stays the path to use when the ingest code itself is under test.
 *
 * <p>Resumable, and the same generator order as {@link IndexSeeder}: seeding to 1M then 2M gives
 * the index seeding 2M at once does. Data shape: profile {@code index} (30 % CR, 15 % DX, 30 % CT of
 * 100-300 instances in 1-3 series, 25 % MR of 3-8 series of 15-40), about 100 instances per study;
 * the patient pool is 2/3 of {@code --pool-studies}, so at 2M (about 20,000 studies) with the
 * default pool a patient has about three studies.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.seed.BulkSeeder --index JDBC --instances 2000000
 *      [--seed 1] [--pool-studies 10000] [--batch 20000] [--threads 2] [--user postgres] [--pg-dir DIR --pg-port P]</pre>
 * With {@code --pg-dir} the benchmarks' PostgreSQL cluster there is started for the seeding (and the
 * database named by the URL created), then stopped.
 */
public final class BulkSeeder {
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    static final String[] PATIENT = {"id", "patient_id", "issuer", "patient_name", "patient_name_norm", "birth_date", "sex",
            "identity"};
    static final String[] STUDY = {"id", "patient_fk", "study_uid", "study_date", "study_time", "accession_number", "study_id",
            "referring_physician", "referring_physician_norm", "study_description", "modalities_in_study"};
    static final String[] SERIES = {"id", "study_fk", "series_uid", "modality", "series_number", "series_description", "body_part"};
    static final String[] INSTANCE = {"id", "series_fk", "sop_uid", "sop_class_uid", "instance_number", "transfer_syntax",
            "storage_key", "size", "sha256", "dataset_sha256", "received_at", "calling_ae", "metadata", "pixel_data"};

    private final Connection c;
    private final BulkRows rows;
    private final boolean pg;
    private final Map<String, Long> patients = new HashMap<>();
    private final Map<String, Long> studies = new HashMap<>();
    private final Map<String, Long> series = new HashMap<>();
    private final Map<Long, TreeSet<String>> modalities = new HashMap<>(); // written value per study
    private long nextPatient;
    private long nextStudy;
    private long nextSeries;
    private long nextInstance;

    private BulkSeeder(Connection c, boolean pg) throws SQLException {
        this.c = c;
        this.pg = pg;
        this.rows = pg ? new BulkRows.Copy(c) : new BulkRows.Batch(c);
        nextPatient = load("SELECT identity, id FROM patient", patients) + 1;
        nextStudy = load("SELECT study_uid, id FROM study", studies) + 1;
        nextSeries = load("SELECT series_uid, id FROM series", series) + 1;
        nextInstance = scalar("SELECT COALESCE(MAX(id), 0) FROM instance") + 1;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, modalities_in_study FROM study")) {
            while (rs.next()) {
                TreeSet<String> m = new TreeSet<>();
                if (rs.getString(2) != null) {
                    m.addAll(List.of(rs.getString(2).split("\\\\")));
                }
                modalities.put(rs.getLong(1), m);
            }
        }
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "BulkSeeder --index JDBC --instances N [--seed 1] [--pool-studies 10000] [--batch 20000]"
                + " [--threads 2] [--user postgres] [--pg-dir DIR --pg-port P]");
        String jdbc = a.required("index");
        boolean pg = jdbc.startsWith("jdbc:postgresql:");
        String user = a.get("user", "postgres");
        // --pg-dir: the benchmarks' own PostgreSQL cluster, started (and the database created) for the seeding
        PgCluster cluster = a.get("pg-dir", null) == null ? null : PgCluster.start(Path.of(a.get("pg-dir", null)), a.getInt("pg-port", 15432));
        try {
            if (cluster != null) {
                String db = jdbc.substring(jdbc.lastIndexOf('/') + 1);
                if (cluster.psql("SELECT 1 FROM pg_database WHERE datname = '" + db + "'").isBlank()) {
                    cluster.psql("CREATE DATABASE " + db);
                }
            }
            seed(a, jdbc, pg, user);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static void seed(Args a, String jdbc, boolean pg, String user) throws Exception {
        IndexConfig ic = pg ? IndexConfig.postgres(jdbc, user, null)
                : IndexConfig.sqlite(Path.of(jdbc.substring("jdbc:sqlite:".length())));
        try (Index index = Index.open(ic)) {
            IndexSeeder.count(index); // migrations run by open; nothing else
        }
        DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.INDEX, a.getInt("pool-studies", 10_000));
        long target = a.getLong("instances", 100_000);
        long t0 = System.nanoTime();
        long[] r = seed(jdbc, user, gen, target, a.getInt("batch", 20_000), a.getInt("threads", 2));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "bulk seed %s: %d instances before, %d added in %.1f s (%.0f instances/s), %d now%n",
                jdbc, r[0], r[1], s, r[1] / s, r[0] + r[1]);
    }

    /** Seeds up to {@code target} instances; returns {instances before, instances added}. */
    public static long[] seed(String jdbc, String user, DatasetGenerator gen, long target, int batch, int threads)
            throws Exception {
        boolean pg = jdbc.startsWith("jdbc:postgresql:");
        Properties p = new Properties();
        if (pg) {
            p.setProperty("user", user);
        }
        try (Connection c = DriverManager.getConnection(jdbc, p)) {
            try (Statement s = c.createStatement()) {
                if (pg) {
                    s.execute("SET synchronous_commit = off"); // this session only: the seeding, not the archive
                } else {
                    s.execute("PRAGMA journal_mode = WAL");   // what the archive uses
                    s.execute("PRAGMA synchronous = OFF");    // this connection only
                    s.execute("PRAGMA cache_size = -262144"); // 256 MB: the unique indexes' pages stay cached
                }
            }
            c.setAutoCommit(false);
            BulkSeeder seeder = new BulkSeeder(c, pg);
            long before = seeder.scalar("SELECT COUNT(*) FROM instance");
            c.commit();
            long added = seeder.run(gen, before, target, batch, threads);
            if (pg) {
                seeder.fixSequences();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE"); // what autovacuum does after a bulk load, before anyone measures
                }
            }
            return new long[] {before, added};
        }
    }

    private long run(DatasetGenerator gen, long from, long to, int batch, int threads) throws Exception {
        List<long[]> items = new ArrayList<>(); // {study, series index, first instance (1-based), last}
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
        long done = 0;
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            int i = 0;
            while (i < items.size()) {
                List<Future<SeriesRows>> chunk = new ArrayList<>();
                long inChunk = 0;
                while (i < items.size() && inChunk < batch) {
                    long[] it = items.get(i++);
                    inChunk += it[3] - it[2] + 1;
                    chunk.add(pool.submit(() -> generate(gen, it)));
                }
                for (Future<SeriesRows> f : chunk) {
                    write(f.get());
                }
                rows.flush();
                updateModalities();
                c.commit();
                done += inChunk;
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "  %d / %d (%.0f/s)%n", from + done, to, done / sec);
            }
        }
        return done;
    }

    /** One series' part: its plan and the instance rows (series_fk and id filled in when written). */
    private record SeriesRows(StudyPlan study, SeriesPlan series, List<Object[]> instances) {}

    private static SeriesRows generate(DatasetGenerator gen, long[] it) throws Exception {
        StudyPlan st = gen.study((int) it[0]);
        SeriesPlan se = st.series().get((int) it[1]);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        long now = System.currentTimeMillis();
        List<Object[]> out = new ArrayList<>();
        for (int n = (int) it[2]; n <= it[3]; n++) {
            Dataset ds = gen.instance(st, se, n);
            ds.remove(Tag.PixelData); // the index keeps the header: everything before Pixel Data
            byte[] metadata = Metadata.encode(ds);
            String sop = gen.instanceUid(st, se, n);
            String digest = hex.formatHex(sha.digest(metadata));
            long size = metadata.length + se.pixelBytes() + 12;
            out.add(new Object[] {null, null, sop, se.sopClassUid(), n, UID.ExplicitVRLittleEndian,
                    StorageKey.of(st.studyUid(), se.seriesUid(), sop).path(), size, digest, digest, now, "SEEDER", metadata, 1});
        }
        return new SeriesRows(st, se, out);
    }

    private void write(SeriesRows r) throws SQLException {
        StudyPlan st = r.study();
        StudyPlan.Patient p = st.patient();
        String identity = "id:" + p.id() + "\\";
        Long patientId = patients.get(identity);
        if (patientId == null) {
            patientId = nextPatient++;
            patients.put(identity, patientId);
            rows.add("patient", PATIENT, new Object[] {patientId, p.id(), "", p.name(), DicomText.fold(p.name()),
                    DA.format(p.birthDate()), p.sex(), identity});
        }
        SeriesPlan se = r.series();
        Long studyId = studies.get(st.studyUid());
        if (studyId == null) {
            studyId = nextStudy++;
            studies.put(st.studyUid(), studyId);
            modalities.put(studyId, new TreeSet<>(List.of(se.modality())));
            rows.add("study", STUDY, new Object[] {studyId, patientId, st.studyUid(), DA.format(st.date()),
                    DicomText.normalizeTime(TM.format(st.time())), st.accession(), st.studyId(), st.referringPhysician(),
                    DicomText.fold(st.referringPhysician()), st.description(), se.modality()});
        }
        Long seriesId = series.get(se.seriesUid());
        if (seriesId == null) {
            seriesId = nextSeries++;
            series.put(se.seriesUid(), seriesId);
            modalities.get(studyId).add(se.modality());
            rows.add("series", SERIES, new Object[] {seriesId, studyId, se.seriesUid(), se.modality(), se.number(),
                    se.description(), se.bodyPart().isEmpty() ? null : se.bodyPart()});
        }
        for (Object[] row : r.instances()) {
            row[0] = nextInstance++;
            row[1] = seriesId;
            rows.add("instance", INSTANCE, row);
        }
    }

    /** ModalitiesInStudy as ingest's refresh would leave it, for studies a later series added a modality to. */
    private void updateModalities() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE study SET modalities_in_study = ? WHERE id = ?"
                + " AND modalities_in_study IS DISTINCT FROM ?")) {
            for (Map.Entry<Long, TreeSet<String>> e : modalities.entrySet()) {
                if (e.getValue().size() > 1) {
                    String joined = String.join("\\", e.getValue());
                    ps.setString(1, joined);
                    ps.setLong(2, e.getKey());
                    ps.setString(3, joined);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Explicit ids were written: the identity sequences must continue after them, or ingest's inserts collide. */
    private void fixSequences() throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String t : List.of("patient", "study", "series", "instance")) {
                s.execute("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT COALESCE(MAX(id), 1) FROM " + t + "))");
            }
        }
        c.commit();
    }

    private long load(String sql, Map<String, Long> into) throws SQLException {
        long max = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                into.put(rs.getString(1), rs.getLong(2));
                max = Math.max(max, rs.getLong(2));
            }
        }
        return max;
    }

    private long scalar(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
