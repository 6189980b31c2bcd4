package dev.steadfast.bench.load;

import dev.steadfast.bench.util.Args;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.net.dimse.StoreSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The load driver: sends a generated data set (its {@code manifest.tsv}, in order, dealt round-robin
 * over N associations) with our SCU ({@link DimseClient}, one platform thread per association) or
 * with dcmtk's {@code storescu} (one process per association, {@code TCP_NODELAY=1} unless Nagle is
 * asked for). The clock runs from before the first association opens to after the last closes.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.load.StoreLoad --data DIR --port P [--host 127.0.0.1]
 *      [--aet AE] [--assocs 4] [--sender ours|storescu|storescu-nagle]</pre>
 */
public final class StoreLoad {
    public record Result(long instances, long bytes, double seconds, long failures) {
        public double instancesPerSecond() { return instances / seconds; }

        public double mbPerSecond() { return bytes / 1e6 / seconds; }
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "StoreLoad --data DIR --port P [--host H] [--aet AE] [--assocs N] [--sender ours|storescu|storescu-nagle]");
        List<Path> files = manifest(Path.of(a.required("data")));
        Result r = send(a.get("sender", "ours"), a.get("host", "127.0.0.1"), a.getInt("port", 11112), a.get("aet", "ANY-SCP"),
                files, a.getInt("assocs", 1));
        System.out.printf(Locale.ROOT, "%d instances, %.1f MB in %.2f s: %.1f instances/s, %.1f MB/s, %d failures%n",
                r.instances(), r.bytes() / 1e6, r.seconds(), r.instancesPerSecond(), r.mbPerSecond(), r.failures());
    }

    /** The files of a generated data set, in manifest order. */
    public static List<Path> manifest(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("manifest.tsv"))) {
            if (!line.isBlank()) {
                files.add(dir.resolve(line.substring(0, line.indexOf('\t'))));
            }
        }
        return files;
    }

    public static Result send(String sender, String host, int port, String aet, List<Path> files, int assocs) throws Exception {
        List<List<Path>> shares = new ArrayList<>();
        for (int i = 0; i < assocs; i++) {
            shares.add(new ArrayList<>());
        }
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            shares.get(i % assocs).add(files.get(i));
            bytes += Files.size(files.get(i));
        }
        long t0 = System.nanoTime();
        long failures = switch (sender) {
            case "ours" -> ours(host, port, aet, shares);
            case "storescu" -> storescu(host, port, aet, shares, true);
            case "storescu-nagle" -> storescu(host, port, aet, shares, false);
            default -> throw new IllegalArgumentException("sender is ours, storescu or storescu-nagle, not " + sender);
        };
        return new Result(files.size(), bytes, (System.nanoTime() - t0) / 1e9, failures);
    }

    private static long ours(String host, int port, String aet, List<List<Path>> shares) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(shares.size())) {
            List<Future<Long>> done = new ArrayList<>();
            for (List<Path> share : shares) {
                done.add(pool.submit(() -> {
                    List<StoreSource> sources = new ArrayList<>(share.size());
                    Set<String> classes = new LinkedHashSet<>();
                    for (Path f : share) {
                        StoreSource s = StoreSource.ofFile(f);
                        sources.add(s);
                        classes.add(s.sopClassUid() + "|" + s.transferSyntaxUid());
                    }
                    ClientOptions o = new ClientOptions().callingAeTitle("BENCHSCU").calledAeTitle(aet);
                    for (String c : classes) {
                        String[] ct = c.split("\\|");
                        o.propose(ct[0], ct[1]);
                    }
                    long failed = 0;
                    try (DimseClient c = DimseClient.open(host, port, o)) {
                        for (StoreSource s : sources) {
                            DimseResponse r = c.store(s, null, -1);
                            if (!r.status().isSuccess()) {
                                failed++;
                            }
                        }
                    }
                    return failed;
                }));
            }
            long failed = 0;
            for (Future<Long> f : done) {
                failed += f.get();
            }
            return failed;
        }
    }

    private static long storescu(String host, int port, String aet, List<List<Path>> shares, boolean noDelay)
            throws IOException, InterruptedException {
        List<Process> ps = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (List<Path> share : shares) {
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "BENCHSCU", "-aec", aet, host, String.valueOf(port)));
            share.forEach(p -> cmd.add(p.toString()));
            Path log = Files.createTempFile("storescu", ".log");
            logs.add(log);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            if (noDelay) {
                pb.environment().put("TCP_NODELAY", "1");
            } else {
                pb.environment().remove("TCP_NODELAY");
            }
            ps.add(pb.start());
        }
        long failed = 0;
        for (int i = 0; i < ps.size(); i++) {
            Process p = ps.get(i);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                failed++;
                System.err.println("storescu exited with " + (p.isAlive() ? "timeout" : p.exitValue()) + ": "
                        + String.join("\n", Files.readAllLines(logs.get(i)).stream().limit(5).toList()));
            }
            Files.deleteIfExists(logs.get(i));
        }
        return failed;
    }
}
