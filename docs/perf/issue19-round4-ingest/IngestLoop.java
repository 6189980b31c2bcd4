import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;

/**
 * Steady-state CPU of IngestService.storePart10 (no network), round four: every pass's index is opened (and
 * migrated) before pass 0, so the JIT compiling Flyway's code no longer runs inside the passes, and the passes'
 * folders are deleted only at the end (ext4 without a journal scans recently freed inodes on every create).
 * Arguments: DATA WORK PASSES THREADS [JFR of the last pass].
 */
public class IngestLoop {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]); Path work = Path.of(a[1]); int passes = Integer.parseInt(a[2]); int threads = Integer.parseInt(a[3]);
        String jfr = a.length > 4 ? a[4] : null;
        List<byte[]> files = new ArrayList<>();
        try (var s = Files.walk(data)) { for (Path p : s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) files.add(Files.readAllBytes(p)); }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Index> indexes = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            Path dir = work.resolve("p" + pass); Files.createDirectories(dir);
            indexes.add(Index.open(IndexConfig.sqlite(dir.resolve("index.db"))));
        }
        Thread.sleep(2000); // let the compiler threads finish what opening queued
        for (int pass = 0; pass < passes; pass++) {
            Path dir = work.resolve("p" + pass);
            jdk.jfr.Recording rec = null;
            if (jfr != null && pass == passes - 1) {
                rec = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                rec.enable("jdk.CPUTimeSample").with("throttle", "1ms");
                rec.setDestination(Path.of(jfr));
                rec.start();
            }
            Index index = indexes.get(pass);
            IngestService ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
            var mx = ManagementFactory.getThreadMXBean();
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime(), own0 = mx.getCurrentThreadCpuTime();
            if (threads == 1) { // on this platform thread: its own CPU time leaves out the JIT's and GC's threads
                for (byte[] f : files) ingest.storePart10(new ByteArrayInputStream(f), "LOOP");
            } else {
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) { int tt = t; fs.add(pool.submit(() -> { for (int i = tt; i < files.size(); i += threads) ingest.storePart10(new ByteArrayInputStream(files.get(i)), "LOOP"); return null; })); }
                for (var f : fs) f.get();
                pool.close();
            }
            long own = mx.getCurrentThreadCpuTime() - own0, cpu = os.getProcessCpuTime() - cpu0, wall = System.nanoTime() - t0;
            System.out.printf("pass %d threads %d: %.3f ms CPU/inst, %.1f inst/s%s%n", pass, threads, cpu / 1e6 / files.size(), files.size() / (wall / 1e9),
                    threads == 1 ? String.format(", ingest thread %.3f ms CPU/inst", own / 1e6 / files.size()) : "");
            if (rec != null) { rec.stop(); rec.close(); }
        }
        for (Index i : indexes) i.close();
    }
}
