package dev.steadfast.bench.load;

import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.peers.Peers;
import dev.steadfast.bench.peers.PgCluster;
import dev.steadfast.bench.util.Args;
import dev.steadfast.bench.util.Stats;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ingest throughput of every peer, in one session so that ratios compare like with like. For each
 * data set, number of associations and repeat, each peer (order rotated per repeat) is started
 * fresh and empty, warmed up with a separate small data set, then sent the data set; its CPU
 * seconds and peak RSS are read from /proc, and the files in its storage are counted to check the
 * run. Results go to a TSV (one line per run) and a table of medians with ratios.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.load.IngestBench --data ct=DIR,small=DIR --warmup DIR
 *      --work DIR [--pg-dir DIR --pg-port 15432] [--peers storescp,orthanc,steadfast,...] [--assocs 1,4,16]
 *      [--senders storescu,ours] [--repeats 3] [--nagle] [--out results.tsv]</pre>
 */
public final class IngestBench {
    record Run(String data, String sender, int assocs, String peer, int repeat, StoreLoad.Result r, double cpu, double rss,
               long stored) {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "IngestBench --data name=DIR,... --warmup DIR --work DIR [--pg-dir DIR] [--peers ...]"
                + " [--assocs 1,4,16] [--senders storescu,ours] [--repeats 3] [--nagle] [--out FILE]");
        Map<String, Path> data = new LinkedHashMap<>();
        for (String d : a.list("data", "")) {
            data.put(d.substring(0, d.indexOf('=')), Path.of(d.substring(d.indexOf('=') + 1)));
        }
        List<Path> warmup = StoreLoad.manifest(Path.of(a.required("warmup")));
        List<String> peers = a.list("peers", "storescp,orthanc,steadfast");
        List<String> senders = a.list("senders", "storescu");
        int repeats = a.getInt("repeats", 3);
        Path out = Path.of(a.get("out", "ingest-results.tsv"));
        PgCluster pg = a.get("pg-dir", null) == null ? null
                : PgCluster.start(Path.of(a.get("pg-dir", null)), a.getInt("pg-port", 15432));
        List<Run> runs = new ArrayList<>();
        try (PrintStream tsv = new PrintStream(Files.newOutputStream(out, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true)) {
            tsv.println("# " + java.time.Instant.now() + " " + String.join(" ", argv));
            tsv.println("data\tsender\tassocs\tpeer\trepeat\tinstances\tMB\tseconds\tinst_per_s\tMB_per_s\tpeer_cpu_s"
                    + "\tcpu_ms_per_inst\tpeak_rss_MB\tstored\tfailures");
            Peers launcher = new Peers(Path.of(a.required("work")), pg).deleteAtEnd();
            List<String[]> cases = new ArrayList<>(); // {data, sender, assocs}
            for (String d : data.keySet()) {
                for (String s : senders) {
                    for (String n : a.list("assocs", "1,4,16")) {
                        cases.add(new String[] {d, s, n});
                    }
                }
                if (a.flag("nagle")) {
                    cases.add(new String[] {d, "storescu-nagle", "1"});
                }
            }
            for (String[] c : cases) {
                List<Path> files = StoreLoad.manifest(data.get(c[0]));
                int assocs = Integer.parseInt(c[2]);
                for (int rep = 0; rep < repeats; rep++) {
                    for (int k = 0; k < peers.size(); k++) {
                        String kind = peers.get((k + rep) % peers.size());
                        Run run = once(launcher, kind, c[0], c[1], assocs, rep, files, warmup);
                        runs.add(run);
                        tsv.printf(Locale.ROOT, "%s\t%s\t%d\t%s\t%d\t%d\t%.1f\t%.3f\t%.1f\t%.1f\t%.2f\t%.2f\t%.0f\t%d\t%d%n",
                                run.data, run.sender, run.assocs, run.peer, run.repeat, run.r.instances(),
                                run.r.bytes() / 1e6, run.r.seconds(), run.r.instancesPerSecond(), run.r.mbPerSecond(), run.cpu,
                                run.cpu * 1000 / run.r.instances(), run.rss, run.stored, run.r.failures());
                        System.out.printf(Locale.ROOT, "%-6s %-15s x%-2d %-13s #%d %8.1f inst/s %7.1f MB/s cpu %.2f ms/inst rss %.0f MB%s%n",
                                run.data, run.sender, run.assocs, run.peer, run.repeat, run.r.instancesPerSecond(),
                                run.r.mbPerSecond(), run.cpu * 1000 / run.r.instances(), run.rss,
                                run.stored == run.r.instances() && run.r.failures() == 0 ? "" : "  CHECK: stored " + run.stored
                                        + " of " + run.r.instances() + ", failures " + run.r.failures());
                    }
                }
            }
            launcher.emptyTrash(); // after the last measurement (Peers.retire)
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
        summary(runs, peers, System.out);
    }

    private static Run once(Peers launcher, String kind, String data, String sender, int assocs, int rep, List<Path> files,
                            List<Path> warmup) throws Exception {
        try (Peer p = launcher.start(kind, false)) {
            StoreLoad.send("ours", "127.0.0.1", p.dicomPort(), p.aeTitle(), warmup, 1);
            long before = p.storedFiles();
            double cpu0 = p.cpuSeconds();
            StoreLoad.Result r = StoreLoad.send(sender, "127.0.0.1", p.dicomPort(), p.aeTitle(), files, assocs);
            double cpu = p.cpuSeconds() - cpu0;
            return new Run(data, sender, assocs, kind, rep, r, cpu, p.peakRssMb(), p.storedFiles() - before);
        }
    }

    /** Medians per case and peer, with ratios to storescp, orthanc and the durable receiver of the same case. */
    static void summary(List<Run> runs, List<String> peers, PrintStream out) {
        Map<String, List<Run>> byCase = new LinkedHashMap<>();
        for (Run r : runs) {
            byCase.computeIfAbsent(r.data + " " + r.sender + " x" + r.assocs, k -> new ArrayList<>()).add(r);
        }
        out.println();
        out.println("| case | peer | inst/s (median) | MB/s | cpu ms/inst | peak RSS MB | vs storescp | vs orthanc | vs durable |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (var e : byCase.entrySet()) {
            Map<String, Double> med = new LinkedHashMap<>();
            for (String p : peers) {
                List<Run> rs = e.getValue().stream().filter(r -> r.peer.equals(p)).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                double ips = Stats.median(rs.stream().map(r -> r.r.instancesPerSecond()).toList());
                med.put(p, ips);
            }
            for (String p : med.keySet()) {
                List<Run> rs = e.getValue().stream().filter(r -> r.peer.equals(p)).toList();
                double mbs = Stats.median(rs.stream().map(r -> r.r.mbPerSecond()).toList());
                double cpu = Stats.median(rs.stream().map(r -> r.cpu * 1000 / r.r.instances()).toList());
                double rss = rs.stream().mapToDouble(r -> r.rss).max().orElse(0);
                out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f | %.0f | %s | %s | %s |%n", e.getKey(), p, med.get(p), mbs, cpu,
                        rss, ratio(med.get(p), med.get("storescp")), ratio(med.get(p), med.get("orthanc")),
                        ratio(med.get(p), med.get("durable")));
            }
        }
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
