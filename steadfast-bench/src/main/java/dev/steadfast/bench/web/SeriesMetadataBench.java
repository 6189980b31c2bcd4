package dev.steadfast.bench.web;


import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * WADO-RS series metadata of a big series, the request a viewer makes before it shows anything (issue 16):
 * Steadfast's DICOMweb against Orthanc's DICOMweb plugin (its default configuration), the same N copies of CT1
 * with fresh UIDs in one series stored in both through STOW-RS, in the same run. Per round each server gets
 * 3 warm-up requests then {@code bench.requests} timed ones (alternating which goes first); the report gives
 * each server's median and the ratio, plus the first (cold) request. Also the same with gzip and with
 * {@code If-None-Match} (Steadfast's metadata ETag). Run by hand, never by the build.
 *
 * <p>usage: SeriesMetadataBench CORPUS_DIR (system properties: bench.instances=1000, bench.rounds=3,
 * bench.requests=10)
 */
public final class SeriesMetadataBench {
    private static final String JSON = "application/dicom+json";

    private SeriesMetadataBench() {}

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/testdata/dicom");
        int instances = Integer.getInteger("bench.instances", 1000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int requests = Integer.getInteger("bench.requests", 10);
        try (SideBySide servers = SideBySide.start("steadfast-bench-metadata")) {
            List<DicomWebVsOrthanc.Target> targets = servers.targets();
            DicomWebVsOrthanc.Synthetic series = new DicomWebVsOrthanc.Synthetic(
                    corpus.resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
            servers.storeInBoth(series, instances, 20);
            String path = "/studies/" + series.study + "/series/" + series.series + "/metadata";
            System.out.printf("series of %d instances stored in both; GET %s%n", instances, path);
            for (DicomWebVsOrthanc.Target t : targets) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = t.get(path, JSON);
                System.out.printf("  %-10s first request: %.0f ms, HTTP %d, %,d bytes, %d instances%n", t.name(),
                        (System.nanoTime() - t0) / 1e6, r.statusCode(), r.body().length,
                        DicomWebVsOrthanc.count(r.body(), "\"00080018\""));
            }
            double[][] medians = new double[targets.size()][rounds];
            double[] gzip = new double[rounds];
            double[] notModified = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                List<DicomWebVsOrthanc.Target> order = round % 2 == 0 ? targets : targets.reversed();
                for (DicomWebVsOrthanc.Target t : order) {
                    medians[targets.indexOf(t)][round] = median(t, path, requests, null, null);
                }
                DicomWebVsOrthanc.Target s = targets.getFirst();
                gzip[round] = median(s, path, requests, "Accept-Encoding", "gzip");
                String etag = s.client().send(java.net.http.HttpRequest.newBuilder(URI.create(s.root() + path))
                        .header("Accept", JSON).build(), HttpResponse.BodyHandlers.discarding()).headers()
                        .firstValue("ETag").orElseThrow();
                notModified[round] = median(s, path, requests, "If-None-Match", etag);
            }
            double ourMedian = med(medians[0]);
            double orthancMedian = med(medians[1]);
            System.out.printf("medians of %d rounds x %d requests:%n", rounds, requests);
            System.out.printf("  steadfast %8.0f ms%n  orthanc   %8.0f ms%n  orthanc / steadfast: %.1fx%n", ourMedian,
                    orthancMedian, orthancMedian / ourMedian);
            System.out.printf("  steadfast with gzip: %.0f ms; with If-None-Match (304): %.1f ms%n", med(gzip), med(notModified));
        }
    }

    /** Median wall time (ms) of {@code n} requests after 3 warm-ups, with one optional extra header. */
    private static double median(DicomWebVsOrthanc.Target t, String path, int n, String header, String value) throws Exception {
        double[] ms = new double[n];
        for (int i = -3; i < n; i++) {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(t.root() + path))
                    .header("Accept", JSON);
            if (header != null) {
                b.header(header, value);
            }
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = t.client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 && r.statusCode() != 304) {
                throw new IllegalStateException(t.name() + " " + path + ": HTTP " + r.statusCode());
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return med(ms);
    }

    private static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
