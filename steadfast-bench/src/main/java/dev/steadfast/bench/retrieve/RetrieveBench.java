package dev.steadfast.bench.retrieve;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Profile;
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
 * Start-up time to the first C-ECHO, and WADO-RS study retrieve against reading the same files
 * from disk. For each peer: start it (timed until a C-ECHO succeeds), load the {@code ct} data set
 * (storescu, 4 associations), then {@code GET /studies/{uid}} with
 * {@code Accept: multipart/related; type="application/dicom"} read to its end, against reading the
 * study's source files ({@code Files.readAllBytes}, page cache warm) in the same process.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.retrieve.RetrieveBench --ct DIR --work DIR
 *      [--peers serve,orthanc] [--study 1] [--seed 1] [--studies 3] [--repeats 5]</pre>
 */
public final class RetrieveBench {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "RetrieveBench --ct DIR --work DIR [--peers serve,orthanc] [--study 1] [--repeats 5]");
        Path ct = Path.of(a.required("ct"));
        int studyIndex = a.getInt("study", 1);
        DatasetGenerator gen = new DatasetGenerator(a.getLong("seed", 1), Profile.CT, a.getInt("studies", 3));
        String studyUid = gen.study(studyIndex).studyUid();
        List<Path> files = StoreLoad.manifest(ct);
        String prefix = String.format(Locale.ROOT, "s%06d", studyIndex);
        List<Path> studyFiles = files.stream().filter(f -> ct.relativize(f).startsWith(prefix)).toList();
        int repeats = a.getInt("repeats", 5);
        Peers peers = new Peers(Path.of(a.required("work")), null);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String kind : a.list("peers", "serve,orthanc")) {
            List<Double> startups = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                try (Peer p = peers.start(kind, true)) {
                    echoUntilOk(p);
                    startups.add((System.nanoTime() - t0) / 1e6);
                }
            }
            try (Peer p = peers.start(kind, true)) {
                StoreLoad.Result load = StoreLoad.send("storescu", "127.0.0.1", p.dicomPort(), p.aeTitle(), files, 4);
                List<Double> wado = new ArrayList<>();
                List<Double> disk = new ArrayList<>();
                long bytes = 0;
                long diskBytes = 0;
                for (int r = 0; r < repeats + 1; r++) {
                    long t0 = System.nanoTime();
                    HttpResponse<InputStream> rsp = http.send(HttpRequest.newBuilder(URI.create(p.qidoBase() + "/studies/" + studyUid))
                            .header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = rsp.body()) {
                        bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (rsp.statusCode() != 200) {
                        throw new IllegalStateException(kind + " WADO-RS -> " + rsp.statusCode());
                    }
                    t0 = System.nanoTime();
                    diskBytes = 0;
                    for (Path f : studyFiles) {
                        diskBytes += Files.readAllBytes(f).length;
                    }
                    double diskMs = (System.nanoTime() - t0) / 1e6;
                    if (r > 0) { // the first round warms both up
                        wado.add(ms);
                        disk.add(diskMs);
                    }
                }
                double w = Stats.median(wado);
                double d = Stats.median(disk);
                System.out.printf(Locale.ROOT, "%-10s start-up to first C-ECHO: median %.0f ms (%s)%n", kind, Stats.median(startups),
                        startups.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
                System.out.printf(Locale.ROOT, "%-10s loaded %d CT instances at %.0f inst/s; WADO-RS study (%d instances, %.1f MB): "
                                + "median %.0f ms = %.0f MB/s; disk read of the files (%.1f MB): %.0f ms = %.0f MB/s; ratio %.2f%n",
                        kind, load.instances(), load.instancesPerSecond(), studyFiles.size(), bytes / 1e6, w, bytes / 1e3 / w,
                        diskBytes / 1e6, d, diskBytes / 1e3 / d, (bytes / w) / (diskBytes / d));
            }
        }
    }

    private static void echoUntilOk(Peer p) throws Exception {
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
