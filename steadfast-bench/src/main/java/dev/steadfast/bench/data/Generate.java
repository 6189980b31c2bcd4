package dev.steadfast.bench.data;

import dev.steadfast.bench.data.StudyPlan.SeriesPlan;
import dev.steadfast.bench.util.Args;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a generated data set as Part 10 files (explicit VR little endian):
 * {@code OUT/s000001/se01/i0001.dcm}, plus {@code OUT/manifest.tsv} (path, SOP class, size,
 * SHA-256 of each file, in order) whose own SHA-256 is printed: the same arguments print the same
 * digest on any machine.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.data.Generate --out DIR --studies N --seed S
 *      [--profile ct|mr|cr|small|mixed|index] [--max-instances N] [--threads T]</pre>
 */
public final class Generate {
    static final String USAGE = """
            Generate --out DIR --studies N [--seed 1] [--profile ct|mr|cr|small|mixed|index]
                     [--max-instances N] [--threads T] [--first-study 0] [--pool-studies N]
            Writes N generated studies as Part 10 files under DIR and DIR/manifest.tsv; prints its SHA-256.""";

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, USAGE);
        Path out = Path.of(a.required("out"));
        int studies = a.getInt("studies", 10);
        long seed = a.getLong("seed", 1);
        Profile profile = Profile.valueOf(a.get("profile", "mixed").toUpperCase(Locale.ROOT));
        long max = a.getLong("max-instances", Long.MAX_VALUE);
        int threads = a.getInt("threads", Runtime.getRuntime().availableProcessors());
        int first = a.getInt("first-study", 0);
        long t0 = System.nanoTime();
        int pool = a.getInt("pool-studies", first + studies); // the patient pool; IndexSeeder uses 10000
        Result r = write(new DatasetGenerator(seed, profile, pool), first, studies, max, out, threads);
        System.out.printf(Locale.ROOT, "%d instances, %d studies, %.1f MB in %s in %.1f s; manifest sha256 %s%n",
                r.instances, r.studies, r.bytes / 1e6, out, (System.nanoTime() - t0) / 1e9, r.manifestSha256);
    }

    public record Result(int studies, long instances, long bytes, String manifestSha256) {}

    /** Writes studies {@code first .. first+studies-1}, at most {@code max} instances in all. */
    public static Result write(DatasetGenerator gen, int first, int studies, long max, Path out, int threads)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        // Decide up front which instances are written, so the output does not depend on thread timing.
        List<int[]> jobs = new ArrayList<>(); // {study, seriesIndex, instanceCount}
        long planned = 0;
        int studiesWritten = 0;
        for (int s = first; s < first + studies && planned < max; s++) {
            StudyPlan st = gen.study(s);
            studiesWritten++;
            for (int k = 0; k < st.series().size() && planned < max; k++) {
                int n = (int) Math.min(st.series().get(k).instances(), max - planned);
                jobs.add(new int[] {s, k, n});
                planned += n;
            }
        }
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            List<Future<List<String[]>>> futures = new ArrayList<>();
            for (int[] job : jobs) {
                futures.add(pool.submit(() -> writeSeries(gen, job[0], job[1], job[2], out)));
            }
            for (Future<List<String[]>> f : futures) {
                try {
                    for (String[] line : f.get()) {
                        lines.add(String.join("\t", line));
                        bytes += Long.parseLong(line[2]);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException(e.getCause());
                }
            }
        }
        String manifest = String.join("\n", lines) + "\n";
        Files.writeString(out.resolve("manifest.tsv"), manifest);
        return new Result(studiesWritten, planned, bytes, HexFormat.of().formatHex(sha256().digest(
                manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    private static List<String[]> writeSeries(DatasetGenerator gen, int study, int seriesIndex, int count, Path out)
            throws IOException {
        StudyPlan st = gen.study(study);
        SeriesPlan se = st.series().get(seriesIndex);
        Path dir = out.resolve(String.format(Locale.ROOT, "s%06d/se%02d", study, se.number()));
        Files.createDirectories(dir);
        List<String[]> lines = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            byte[] file = encode(gen.instance(st, se, n));
            Path f = dir.resolve(String.format(Locale.ROOT, "i%04d.dcm", n));
            Files.write(f, file);
            lines.add(new String[] {out.relativize(f).toString(), se.sopClassUid(), String.valueOf(file.length),
                    HexFormat.of().formatHex(sha256().digest(file))});
        }
        return lines;
    }

    /** The Part 10 bytes of a data set, explicit VR little endian. */
    public static byte[] encode(Dataset ds) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(1 << 16);
            DicomWriter.writeFile(bos, ds, UID.ExplicitVRLittleEndian);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
