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
import java.util.List;
import java.util.Locale;

/**
 * Start-up time to the first C-ECHO, then, per peer loaded with the {@code ct} data set (storescu,
 * 4 associations), on one study (276 instances, 145 MB):
 * <ul>
 *   <li>WADO-RS study retrieve ({@code multipart/related; type="application/dicom"}, read to its
 *       end) against reading the study's source files ({@code Files.readAllBytes}, page cache warm)
 *       in the same process; the first fetch after start is reported apart (nothing verified yet);</li>
 *   <li>WADO-RS metadata of the study ({@code application/dicom+json});</li>
 *   <li>rendered frame and thumbnail latency ({@code image/jpeg}), a different instance each time;</li>
 *   <li>C-MOVE of the study to dcmtk's storescp ({@code movescu}) and C-GET of it ({@code getscu}),
 *       against {@code storescu} sending the same files to the same storescp (the bare baseline).</li>
 * </ul>
 * Medians of {@code --repeats} after one warm-up round. {@code --what} picks the parts.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.retrieve.RetrieveBench --ct DIR --work DIR
 *      [--peers serve,orthanc] [--study 1] [--seed 1] [--studies 3] [--repeats 5]
 *      [--what startup,wado,metadata,rendered,move,get]</pre>
 */
public final class RetrieveBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "RetrieveBench --ct DIR --work DIR [--peers serve,orthanc] [--study 1] [--repeats 5]"
                + " [--what startup,wado,metadata,rendered,move,get]");
        Path ct = Path.of(a.required("ct"));
        int studyIndex = a.getInt("study", 1);
        DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.CT, a.getInt("studies", 3));
        StudyPlan study = gen.study(studyIndex);
        String studyUid = study.studyUid();
        List<Path> files = StoreLoad.manifest(ct);
        String prefix = String.format(Locale.ROOT, "s%06d", studyIndex);
        List<Path> studyFiles = files.stream().filter(f -> ct.relativize(f).startsWith(prefix)).toList();
        int repeats = a.getInt("repeats", 5);
        List<String> what = a.list("what", "startup,wado,metadata,rendered,move,get");
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
        try {
            for (String kind : a.list("peers", "serve,orthanc")) {
                if (what.contains("startup")) {
                    List<Double> startups = new ArrayList<>();
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        try (Peer p = peers.start(kind, true)) {
                            echoUntilOk(p);
                            startups.add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                    report(kind, "start-up to first C-ECHO: median %.0f ms %s", Stats.median(startups), list(startups));
                }
                if (what.stream().noneMatch(w -> List.of("wado", "metadata", "rendered", "move", "get").contains(w))) {
                    continue;
                }
                try (Peer p = peers.start(kind, true)) {
                    StoreLoad.Result load = StoreLoad.send("storescu", "127.0.0.1", p.dicomPort(), p.aeTitle(), files, 4);
                    report(kind, "loaded %d CT instances at %.0f inst/s", load.instances(), load.instancesPerSecond());
                    String studyUrl = p.qidoBase() + "/studies/" + studyUid;
                    if (what.contains("wado")) {
                        wado(kind, studyUrl, studyFiles, repeats);
                    }
                    if (what.contains("metadata")) {
                        long[] size = {0};
                        List<Double> meta = repeat(repeats, () -> time(() -> size[0] = fetch(studyUrl + "/metadata", "application/dicom+json")));
                        report(kind, "WADO-RS metadata of the study (%d instances, %.1f MB of JSON): %s", studyFiles.size(), size[0] / 1e6,
                                ms(meta, 0));
                    }
                    if (what.contains("rendered")) {
                        rendered(kind, p, gen, study, "rendered", Math.max(20, repeats));
                        rendered(kind, p, gen, study, "thumbnail", Math.max(20, repeats));
                    }
                    if (what.contains("move")) {
                        Peer scp = storescp;
                        Path out = scp.storage();
                        List<Double> move = repeat(repeats, () -> time(() -> {
                            Peers.deleteTree(out);
                            Files.createDirectories(out);
                            dcmtk("movescu", "-S", "-aet", "BENCHSCU", "-aec", p.aeTitle(), "-aem", "STORESCP",
                                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid,
                                    "127.0.0.1", String.valueOf(p.dicomPort()));
                            check(scp.storedFiles() == studyFiles.size(), "C-MOVE delivered " + scp.storedFiles());
                        }));
                        report(kind, "C-MOVE of the study to storescp (%d instances): %s", studyFiles.size(), ms(move, bytes(studyFiles)));
                    }
                    if (what.contains("get")) {
                        Path out = work.resolve("getscu");
                        List<Double> get = repeat(repeats, () -> time(() -> {
                            Peers.deleteTree(out);
                            Files.createDirectories(out);
                            dcmtk("getscu", "-S", "-aet", "BENCHSCU", "-aec", p.aeTitle(), "-od", out.toString(),
                                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid,
                                    "127.0.0.1", String.valueOf(p.dicomPort()));
                            try (var s = Files.list(out)) {
                                long n = s.count();
                                check(n == studyFiles.size(), "C-GET delivered " + n);
                            }
                        }));
                        report(kind, "C-GET of the study by getscu (%d instances): %s", studyFiles.size(), ms(get, bytes(studyFiles)));
                    }
                }
            }
        } finally {
            if (storescp != null) {
                storescp.close();
            }
        }
    }

    private static void wado(String kind, String studyUrl, List<Path> studyFiles, int repeats) throws Exception {
        List<Double> wado = new ArrayList<>();
        List<Double> disk = new ArrayList<>();
        long bytes = 0;
        long diskBytes = 0;
        double first = 0;
        for (int r = 0; r < repeats + 1; r++) {
            long t0 = System.nanoTime();
            bytes = fetch(studyUrl, "multipart/related; type=\"application/dicom\"");
            double ms = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            diskBytes = 0;
            for (Path f : studyFiles) {
                diskBytes += Files.readAllBytes(f).length;
            }
            double diskMs = (System.nanoTime() - t0) / 1e6;
            if (r == 0) { // the first round warms both up; for serve it is also the first, verifying, read
                first = ms;
            } else {
                wado.add(ms);
                disk.add(diskMs);
            }
        }
        double w = Stats.median(wado);
        double d = Stats.median(disk);
        report(kind, "WADO-RS study (%d instances, %.1f MB): first fetch %.0f ms = %.0f MB/s; then median %.0f ms = %.0f MB/s %s; "
                        + "disk read of the files (%.1f MB): %.0f ms = %.0f MB/s %s; ratio %.2f",
                studyFiles.size(), bytes / 1e6, first, bytes / 1e3 / first, w, bytes / 1e3 / w, list(wado), diskBytes / 1e6, d,
                diskBytes / 1e3 / d, list(disk), (bytes / w) / (diskBytes / d));
    }

    /** One instance after another of the study (a different one each request, so no peer answers from a cache). */
    private static void rendered(String kind, Peer p, DatasetGenerator gen, StudyPlan study, String what, int n) throws Exception {
        List<String> urls = new ArrayList<>();
        for (StudyPlan.SeriesPlan s : study.series()) {
            for (int i = 1; i <= s.instances(); i++) {
                urls.add(p.qidoBase() + "/studies/" + study.studyUid() + "/series/" + s.seriesUid() + "/instances/"
                        + gen.instanceUid(study, s, i) + "/" + what);
            }
        }
        List<Double> ms = new ArrayList<>();
        int warmup = 5;
        String status = "";
        for (int i = 0; i < warmup + n && i < urls.size(); i++) {
            long t0 = System.nanoTime();
            HttpResponse<InputStream> rsp = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(i * 7 % urls.size())))
                    .header("Accept", "image/jpeg").build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = rsp.body()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            double t = (System.nanoTime() - t0) / 1e6;
            if (rsp.statusCode() != 200) {
                status = " (HTTP " + rsp.statusCode() + ": not offered)";
                break;
            }
            if (i >= warmup) {
                ms.add(t);
            }
        }
        if (ms.isEmpty()) {
            report(kind, "WADO-RS %s: none%s", what, status);
        } else {
            report(kind, "WADO-RS %s (image/jpeg, %d different instances): median %.1f ms, p90 %.1f ms", what, ms.size(),
                    Stats.median(ms), Stats.percentile(ms.stream().mapToDouble(Double::doubleValue).toArray(), 90));
        }
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

    /** One warm-up round, then {@code n} measured ones. */
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

    private static long bytes(List<Path> files) throws java.io.IOException {
        long n = 0;
        for (Path f : files) {
            n += Files.size(f);
        }
        return n;
    }

    private static String list(List<Double> v) {
        return v.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }

    private static void report(String kind, String format, Object... args) {
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
