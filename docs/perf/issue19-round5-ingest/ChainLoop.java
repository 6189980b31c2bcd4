import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

/**
 * Round five: the serial chain of one instance inside serve's ingest, without the network. IngestLoop of round
 * four, but through the storage serve builds (ReplicatedStorage over one filesystem target) and timing each
 * storePart10 call: p50 / p90 latency per instance (ms), process CPU and the ingest thread's CPU per instance.
 * One platform thread, instances in series as one association sends them. Arguments: DATA WORK PASSES.
 */
public class ChainLoop {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]); Path work = Path.of(a[1]); int passes = Integer.parseInt(a[2]);
        List<byte[]> files = new ArrayList<>();
        try (var s = Files.walk(data)) { for (Path p : s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) files.add(Files.readAllBytes(p)); }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var mx = ManagementFactory.getThreadMXBean();
        List<Index> indexes = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            Path dir = work.resolve("p" + pass); Files.createDirectories(dir);
            indexes.add(Index.open(IndexConfig.sqlite(dir.resolve("index.db"))));
        }
        Thread.sleep(2000);
        for (int pass = 0; pass < passes; pass++) {
            Path dir = work.resolve("p" + pass);
            try (ReplicatedStorage storage = new ReplicatedStorage(List.of(Target.of("fs", new FileSystemStorage(dir.resolve("storage")))),
                    WritePolicy.ALL, ReplicaOptions.DEFAULT)) {
                IngestService ingest = new IngestService(storage, indexes.get(pass), IngestConfig.DEFAULT);
                long[] lat = new long[files.size()];
                long cpu0 = os.getProcessCpuTime(), own0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                for (int i = 0; i < files.size(); i++) {
                    long s = System.nanoTime();
                    ingest.storePart10(new ByteArrayInputStream(files.get(i)), "LOOP");
                    lat[i] = System.nanoTime() - s;
                }
                long wall = System.nanoTime() - t0, cpu = os.getProcessCpuTime() - cpu0, own = mx.getCurrentThreadCpuTime() - own0;
                Arrays.sort(lat);
                System.out.printf("pass %d: p50 %.3f ms p90 %.3f ms, %.1f inst/s, CPU %.3f ms/inst, ingest thread %.3f ms/inst%n", pass,
                        lat[lat.length / 2] / 1e6, lat[lat.length * 9 / 10] / 1e6, files.size() / (wall / 1e9),
                        cpu / 1e6 / files.size(), own / 1e6 / files.size());
            }
        }
        for (Index i : indexes) i.close();
    }
}
