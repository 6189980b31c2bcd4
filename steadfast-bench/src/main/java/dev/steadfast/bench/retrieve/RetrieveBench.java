package dev.steadfast.bench.retrieve;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.data.StudyPlan;
import dev.steadfast.bench.load.StoreLoad;
import dev.steadfast.bench.peers.Peer;
import dev.steadfast.bench.peers.Peers;
import dev.steadfast.bench.util.Args;
import dev.steadfast.bench.util.Stats;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.dicom.UID;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up time to the first C-ECHO, then, per peer loaded with the {@code ct} data set (storescu,
 * 4 associations), on one study (276 instances, 145 MB):
 * <ul>
 *   <li>WADO-RS study retrieve ({@code multipart/related; type="application/dicom"}, read to its
 *       end) against reading the study's source files ({@code Files.readAllBytes}, page cache warm)
 *       in the same process; the first fetch after start is reported apart (nothing verified yet);</li>
 *   <li>{@code static}: WADO-RS study retrieve by curl against Jetty's ResourceHandler serving serve's
 *       stored files of the study to curl, in the same rounds (issue 19);</li>
 *   <li>WADO-RS metadata of the study ({@code application/dicom+json});</li>
 *   <li>rendered frame and thumbnail latency ({@code image/jpeg}), a different instance each time; with
 *       {@code --rendered-clients} also rendered frames for several clients at once ({@link RenderedConcurrency});</li>
 *   <li>C-MOVE of the study to dcmtk's storescp ({@code movescu}) and C-GET of it ({@code getscu}),
 *       against {@code storescu} sending the same files to the same storescp (the bare baseline).</li>
 * </ul>
 * Every peer runs at once; each round visits all of them in an order rotated by one per round, and
 * cells are medians of {@code --repeats} rounds after a warm-up round (rendered: {@code --rendered} requests,
 * the first 25 and the rest reported apart).
 * {@code --what} picks the parts; {@code serve:LABEL} peers compare jars or options (see {@link Peers}).
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.retrieve.RetrieveBench --ct DIR --work DIR
 *      [--peers serve,orthanc] [--study 1] [--seed 1] [--studies 3] [--repeats 5]
 *      [--what startup,wado,static,metadata,rendered,move,get] [--rendered 24]
 *      [--rendered-clients 2,4 --rendered-per-client 25 --rendered-rounds 4]</pre>
 */
public final class RetrieveBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Peers up for the retrieve parts, by kind. */
    private static final Map<String, Peer> RUNNING = new LinkedHashMap<>();
    /** CPU ms per measured round of each peer in the last {@link #rounds} (robust where wall time on a shared machine is not). */
    private static final Map<String, Double> CPU = new LinkedHashMap<>();

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "RetrieveBench --ct DIR --work DIR [--peers serve,orthanc] [--study 1] [--repeats 5]"
                + " [--what startup,wado,static,metadata,rendered,move,get]");
        Path ct = Path.of(a.required("ct"));
        int studyIndex = a.getInt("study", 1);
        DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.CT, a.getInt("studies", 3));
        StudyPlan study = gen.study(studyIndex);
        String studyUid = study.studyUid();
        List<Path> files = StoreLoad.manifest(ct);
        String prefix = String.format(Locale.ROOT, "s%06d", studyIndex);
        List<Path> studyFiles = files.stream().filter(f -> ct.relativize(f).startsWith(prefix)).toList();
        int repeats = a.getInt("repeats", 5);
        List<String> what = a.list("what", "startup,wado,static,metadata,rendered,move,get");
        Path work = Path.of(a.required("work"));
        Peers peers = new Peers(work, null);
        Peer storescp = null;
        if (what.contains("move") || what.contains("get")) {
            storescp = peers.start("storescp", false);
            peers.moveDestination("STORESCP", storescp.dicomPort());
            // The bare baseline: the same files from storescu to the same storescp, one association as C-MOVE uses.
            Peer scp = storescp;
            List<Double> bare = repeat(repeats, () -> time(() -> {
                StoreLoad.Result r = StoreLoad.send("storescu", "127.0.0.1", scp.dicomPort(), "STORESCP", studyFiles, 1);
                check(r.failures() == 0, "storescu -> storescp failed " + r.failures());
            }));
            report("storescu", "storescu -> storescp, %d files, 1 association: %s", studyFiles.size(), ms(bare, bytes(studyFiles)));
        }
        List<String> kinds = a.list("peers", "serve,orthanc");
        Map<String, Peer> running = RUNNING;
        try {
            if (what.contains("startup")) {
                Map<String, List<Double>> cpu = new LinkedHashMap<>();
                Map<String, List<Double>> startups = rounds(kinds, repeats, (kind, r) -> {
                    long t0 = System.nanoTime();
                    try (Peer p = peers.start(kind, true)) {
                        echoUntilOk(p);
                        double t = (System.nanoTime() - t0) / 1e6;
                        if (r > 0) { // CPU to get there: robust where wall time on a shared machine is not
                            cpu.computeIfAbsent(kind, k -> new ArrayList<>()).add(p.cpuSeconds() * 1000);
                        }
                        return t;
                    }
                });
                for (String kind : kinds) {
                    report(kind, "start-up to first C-ECHO: %s; CPU used by then: %s", ms(startups.get(kind), 0), ms(cpu.get(kind), 0));
                }
            }
            if (what.stream().noneMatch(w -> List.of("wado", "static", "metadata", "rendered", "move", "get").contains(w))) {
                return;
            }
            for (String kind : kinds) { // every peer up and loaded, so each round can visit all of them
                Peer p = peers.start(kind, true);
                running.put(kind, p);
                StoreLoad.Result load = StoreLoad.send("storescu", "127.0.0.1", p.dicomPort(), p.aeTitle(), files, 4);
                check(load.failures() == 0, kind + ": " + load.failures() + " instances not stored");
                report(kind, "loaded %d CT instances at %.0f inst/s", load.instances(), load.instancesPerSecond());
            }
            long studyBytes = bytes(studyFiles);
            if (what.contains("wado")) {
                Map<String, Double> first = new LinkedHashMap<>();
                Map<String, List<Double>> disk = new LinkedHashMap<>();
                long[] size = {0};
                Map<String, List<Double>> wado = rounds(kinds, repeats, (kind, r) -> {
                    double t = time(() -> size[0] = fetch(running.get(kind).qidoBase() + "/studies/" + studyUid,
                            "multipart/related; type=\"application/dicom\""));
                    double d = time(() -> {
                        for (Path f : studyFiles) {
                            Files.readAllBytes(f);
                        }
                    });
                    if (r == 0) { // for serve, also the first (verifying) read since start
                        first.put(kind, t);
                    } else {
                        disk.computeIfAbsent(kind, k -> new ArrayList<>()).add(d);
                    }
                    return t;
                });
                for (String kind : kinds) {
                    double w = Stats.median(wado.get(kind));
                    double d = Stats.median(disk.get(kind));
                    report(kind, "WADO-RS study (%d instances, %.1f MB): first fetch %.0f ms = %.0f MB/s; then %s; "
                                    + "reading the files: %s; WADO-RS / file read %.2f%s",
                            studyFiles.size(), size[0] / 1e6, first.get(kind), size[0] / 1e3 / first.get(kind),
                            ms(wado.get(kind), size[0]), ms(disk.get(kind), studyBytes), (size[0] / w) / (studyBytes / d), cpu(kind));
                }
            }
            if (what.contains("static")) {
                staticBaseline(kinds, running, peers, studyUid, studyBytes, repeats);
            }
            if (what.contains("metadata")) {
                Map<String, Long> size = new LinkedHashMap<>();
                Map<String, List<Double>> meta = rounds(kinds, repeats, (kind, r) -> time(() ->
                        size.put(kind, fetch(running.get(kind).qidoBase() + "/studies/" + studyUid + "/metadata", "application/dicom+json"))));
                for (String kind : kinds) {
                    report(kind, "WADO-RS metadata of the study (%d instances, %.2f MB of JSON): %s%s", studyFiles.size(),
                            size.get(kind) / 1e6, ms(meta.get(kind), 0), cpu(kind));
                }
            }
            if (what.contains("rendered")) {
                renderedLatency(kinds, running, gen, study, a.getInt("rendered", 4 + Math.max(20, repeats)));
                for (String c : a.list("rendered-clients", "")) { // several viewers at once (issue 19, round five)
                    if (c.isBlank()) {
                        continue;
                    }
                    RenderedConcurrency.run(kinds, running, instancePaths(gen, study, "rendered"), Integer.parseInt(c),
                            a.getInt("rendered-per-client", 25), a.getInt("rendered-rounds", 4));
                }
            }
            if (what.contains("move")) {
                Peer scp = storescp;
                Path out = scp.storage();
                Map<String, List<Double>> move = rounds(kinds, repeats, (kind, r) -> {
                    Peers.deleteTree(out);
                    Files.createDirectories(out);
                    Peer p = running.get(kind);
                    double t = time(() -> dcmtk("movescu", "-S", "-aet", "BENCHSCU", "-aec", p.aeTitle(), "-aem", "STORESCP",
                            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid, "127.0.0.1", String.valueOf(p.dicomPort())));
                    check(scp.storedFiles() == studyFiles.size(), kind + ": C-MOVE delivered " + scp.storedFiles());
                    return t;
                });
                for (String kind : kinds) {
                    report(kind, "C-MOVE of the study to storescp (%d instances): %s%s", studyFiles.size(), ms(move.get(kind), studyBytes), cpu(kind));
                }
            }
            if (what.contains("get")) {
                Path out = work.resolve("getscu");
                Map<String, List<Double>> get = rounds(kinds, repeats, (kind, r) -> {
                    Peers.deleteTree(out);
                    Files.createDirectories(out);
                    Peer p = running.get(kind);
                    double t = time(() -> dcmtk("getscu", "-S", "-aet", "BENCHSCU", "-aec", p.aeTitle(), "-od", out.toString(),
                            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid, "127.0.0.1", String.valueOf(p.dicomPort())));
                    try (var f = Files.list(out)) {
                        long n = f.count();
                        check(n == studyFiles.size(), kind + ": C-GET delivered " + n);
                    }
                    return t;
                });
                for (String kind : kinds) {
                    report(kind, "C-GET of the study by getscu (%d instances): %s%s", studyFiles.size(), ms(get.get(kind), studyBytes), cpu(kind));
                }
            }
        } finally {
            running.values().forEach(Peer::close);
            if (storescp != null) {
                storescp.close();
            }
        }
    }

    /** Requests counted as the first ones after a start (JIT still compiling); the rest are reported apart. */
    private static final int EARLY = 25;

    /**
     * Rendered frame and thumbnail latency: {@code count} requests per peer, each for another instance
     * (a cache would hide the work), peers in rotated order each request. The first {@value #EARLY}
     * (first one included) and the rest are reported apart, each with the peer's CPU per request.
     */
    private static void renderedLatency(List<String> kinds, Map<String, Peer> running, DatasetGenerator gen,
                                        StudyPlan study, int count) throws Exception {
        for (String part : List.of("rendered", "thumbnail")) {
            List<String> paths = instancePaths(gen, study, part);
            Map<String, String> refused = new LinkedHashMap<>();
            Map<String, List<Double>> wall = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            for (int r = 0; r < count; r++) {
                String path = paths.get(r * 7 % paths.size());
                for (int i = 0; i < kinds.size(); i++) {
                    String kind = kinds.get((i + r) % kinds.size());
                    if (refused.containsKey(kind)) {
                        continue;
                    }
                    Peer p = running.get(kind);
                    double cpu0 = p.cpuSeconds();
                    long t0 = System.nanoTime();
                    int status = fetchStatus(p.qidoBase() + path, "image/jpeg");
                    double t = (System.nanoTime() - t0) / 1e6;
                    if (status != 200) {
                        refused.put(kind, "HTTP " + status);
                    }
                    wall.computeIfAbsent(kind, k -> new ArrayList<>()).add(t);
                    cpu.computeIfAbsent(kind, k -> new ArrayList<>()).add((p.cpuSeconds() - cpu0) * 1000);
                }
            }
            for (String kind : kinds) {
                if (refused.containsKey(kind)) {
                    report(kind, "WADO-RS %s: not offered (%s)", part, refused.get(kind));
                    continue;
                }
                List<Double> w = wall.get(kind);
                List<Double> c = cpu.get(kind);
                int early = Math.min(EARLY, w.size());
                report(kind, "WADO-RS %s (image/jpeg, a different instance each request): first %d: %s; requests %d-%d: %s",
                        part, early, segment(w.subList(0, early), c.subList(0, early)),
                        early + 1, w.size(), early < w.size() ? segment(w.subList(early, w.size()), c.subList(early, c.size())) : "-");
            }
        }
    }

    private static String segment(List<Double> wall, List<Double> cpu) {
        double cpuMean = cpu.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "median %.1f ms, p90 %.1f ms, peer CPU %.1f ms per request", Stats.median(wall),
                Stats.percentile(wall.stream().mapToDouble(Double::doubleValue).toArray(), 90), cpuMean);
    }

    /**
     * Issue 19: WADO-RS study retrieve by curl (one request, multipart read to its end) against Jetty's
     * own ResourceHandler serving the first serve peer's stored files of the study to curl (one
     * process, one kept-alive connection, a GET per file), alternating in the same rounds; the ratio
     * is the static server's median time over each peer's.
     */
    private static void staticBaseline(List<String> kinds, Map<String, Peer> running, Peers peers, String studyUid,
                                       long studyBytes, int repeats) throws Exception {
        String owner = kinds.stream().filter(k -> k.startsWith("serve")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--what static needs a serve peer"));
        Path root = running.get(owner).storage();
        Path studyDir = root.resolve(dev.steadfast.archive.storage.StorageKey.studyPrefix(studyUid));
        List<Path> stored;
        try (var w = Files.walk(studyDir)) {
            stored = w.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        Path config = Files.createTempFile("static-urls", ".txt");
        Peer files = peers.staticFiles(root);
        running.put("static", files);
        try {
            StringBuilder cfg = new StringBuilder();
            for (Path f : stored) {
                cfg.append("url = \"").append(files.qidoBase()).append('/').append(root.relativize(f)).append("\"\n")
                        .append("output = \"/dev/null\"\n");
            }
            Files.writeString(config, cfg);
            List<String> all = new ArrayList<>(kinds);
            all.add("static");
            long storedBytes = bytes(stored);
            Map<String, List<Double>> t = rounds(all, repeats, (kind, r) -> time(() -> {
                long got = kind.equals("static")
                        ? curl("-K", config.toString())
                        : curl("-o", "/dev/null", "-H", "Accept: multipart/related; type=\"application/dicom\"",
                                running.get(kind).qidoBase() + "/studies/" + studyUid);
                check(got >= storedBytes, kind + ": curl read " + got + " bytes of " + storedBytes);
            }));
            double base = Stats.median(t.get("static"));
            for (String kind : all) {
                report(kind, "%s by curl (%d instances, %.1f MB): %s; static / this %.2f%s",
                        kind.equals("static") ? "static files (Jetty ResourceHandler, one GET each)" : "WADO-RS study",
                        stored.size(), storedBytes / 1e6, ms(t.get(kind), storedBytes), base / Stats.median(t.get(kind)), cpu(kind));
            }
        } finally {
            running.remove("static");
            files.close();
            Files.deleteIfExists(config);
        }
    }

    /** Runs curl with {@code args} (which say where bodies go) and returns the bytes it downloaded (all URLs). */
    private static long curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-f", "-w", "%{size_download}\\n"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        check(p.waitFor() == 0, "curl failed: " + out);
        return out.lines().filter(l -> !l.isBlank()).mapToLong(l -> Long.parseLong(l.strip())).sum();
    }

    interface Round {
        double run(String kind, int round) throws Exception;
    }

    /**
     * Round 0 warms up and is dropped; then {@code repeats} rounds, each visiting every peer, in an
     * order rotated by one each round, so a burst of load from elsewhere does not fall on one peer.
     */
    private static Map<String, List<Double>> rounds(List<String> kinds, int repeats, Round m) throws Exception {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        CPU.clear();
        for (int r = 0; r <= repeats; r++) {
            for (int i = 0; i < kinds.size(); i++) {
                String kind = kinds.get((i + r) % kinds.size());
                Peer p = RUNNING.get(kind);
                double cpu0 = p == null ? 0 : p.cpuSeconds();
                double v = m.run(kind, r);
                if (r > 0) {
                    out.computeIfAbsent(kind, k -> new ArrayList<>()).add(v);
                    if (p != null) {
                        CPU.merge(kind, p.cpuSeconds() - cpu0, Double::sum);
                    }
                }
            }
        }
        CPU.replaceAll((k, total) -> total * 1000 / out.get(k).size());
        return out;
    }

    /** The peer's own CPU time (user + system, from /proc) per measured round of the last {@link #rounds}, in ms. */
    private static String cpu(String kind) {
        Double ms = CPU.get(kind);
        return ms == null ? "" : String.format(Locale.ROOT, "; peer CPU %.0f ms per request", ms);
    }

    static List<String> instancePaths(DatasetGenerator gen, StudyPlan study, String what) {
        List<String> paths = new ArrayList<>();
        for (StudyPlan.SeriesPlan s : study.series()) {
            for (int i = 1; i <= s.instances(); i++) {
                paths.add("/studies/" + study.studyUid() + "/series/" + s.seriesUid() + "/instances/" + gen.instanceUid(study, s, i) + "/" + what);
            }
        }
        return paths;
    }

    static int fetchStatus(String url, String accept) throws Exception {
        HttpResponse<InputStream> rsp = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = rsp.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return rsp.statusCode();
    }

    private static long fetch(String url, String accept) throws Exception {
        HttpResponse<InputStream> rsp = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long n;
        try (InputStream in = rsp.body()) {
            n = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        check(rsp.statusCode() == 200, url + " -> " + rsp.statusCode());
        return n;
    }

    private static void dcmtk(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        check(rc == 0, cmd[0] + " exited with " + rc + ": " + out);
    }

    interface Timed {
        void run() throws Exception;
    }

    interface Measured {
        double get() throws Exception;
    }

    private static double time(Timed t) throws Exception {
        long t0 = System.nanoTime();
        t.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** One warm-up round, then {@code n} measured ones (for what involves no peer). */
    private static List<Double> repeat(int n, Measured m) throws Exception {
        m.get();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(m.get());
        }
        return out;
    }

    private static String ms(List<Double> ms, long bytes) {
        double med = Stats.median(ms);
        return bytes > 0 ? String.format(Locale.ROOT, "median %.0f ms = %.0f MB/s %s", med, bytes / 1e3 / med, list(ms))
                : String.format(Locale.ROOT, "median %.0f ms %s", med, list(ms));
    }

    static long bytes(List<Path> files) throws java.io.IOException {
        long n = 0;
        for (Path f : files) {
            n += Files.size(f);
        }
        return n;
    }

    private static String list(List<Double> v) {
        return v.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }

    static void report(String kind, String format, Object... args) {
        System.out.printf(Locale.ROOT, "%-14s " + format + "%n", prepend(kind, args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] out = new Object[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    static void echoUntilOk(Peer p) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("BENCHSCU").calledAeTitle(p.aeTitle())
                .propose(UID.Verification, UID.ImplicitVRLittleEndian);
        for (int i = 0; i < 1000; i++) {
            try (DimseClient c = DimseClient.open("127.0.0.1", p.dicomPort(), o)) {
                if (c.echo().status().isSuccess()) {
                    return;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("no C-ECHO from " + p.name());
    }
}
