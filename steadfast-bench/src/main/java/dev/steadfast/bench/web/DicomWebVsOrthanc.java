package dev.steadfast.bench.web;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steadfast's DICOMweb against Orthanc's DICOMweb plugin, same data, same run (issue 6): QIDO-RS
 * latency (p50/p95 of several query shapes) and WADO-RS study retrieve throughput. Not JMH: the
 * servers are the subjects and the client is plain {@link HttpClient}, one keep-alive client per
 * server, sequential requests. Both servers get the same instances through STOW-RS: the corpus
 * (for a realistic index) and a synthetic CT study of N copies of CT1 with fresh UIDs (the one
 * queried and retrieved). Rounds alternate which server goes first; the report gives the median
 * over rounds of each round's p50, p95 and MB/s. Run by hand (docs/PERFORMANCE.md), never by
 * the build.
 *
 * <p>usage: DicomWebVsOrthanc [CORPUS_DIR] (system properties: bench.instances=200,
 * bench.rounds=5, bench.requests=100; Orthanc at /usr/sbin/Orthanc with libOrthancDicomWeb.so)
 */
public final class DicomWebVsOrthanc {
    private static final String JSON = "application/dicom+json";
    private static final String STORED = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String DEFAULT = "multipart/related; type=\"application/dicom\"";

    private DicomWebVsOrthanc() {}

    /** One server under test: its DICOMweb root and a keep-alive client. */
    record Target(String name, URI root, HttpClient client) {
        HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(root + path)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(300)).build();
            try {
                return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) { // a keep-alive connection the server closed while idle: once more
                return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            }
        }

        long getCounting(String path, String accept) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(root + path))
                    .header("Accept", accept).timeout(Duration.ofSeconds(600)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                long n = in.transferTo(java.io.OutputStream.nullOutputStream());
                if (r.statusCode() != 200) {
                    throw new IOException(name + " " + path + ": HTTP " + r.statusCode());
                }
                return n;
            }
        }

        int stow(List<byte[]> files) throws IOException, InterruptedException {
            String boundary = "bench" + System.nanoTime();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] f : files) {
                body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(f);
                body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(root + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                    .header("Accept", JSON).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        }
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/testdata/dicom");
        int instances = Integer.getInteger("bench.instances", 200);
        int rounds = Integer.getInteger("bench.rounds", 5);
        int requests = Integer.getInteger("bench.requests", 100);
        try (SideBySide servers = SideBySide.start("steadfast-bench-web")) {
            List<Target> targets = servers.targets();

            // The same instances into both, through STOW-RS: a corpus file Orthanc refuses is not sent to us,
            // one we refuse after Orthanc took it is reported (the indexes would then differ by it).
            Target steadfast = targets.get(0);
            Target orthancTarget = targets.get(1);
            List<Path> files = corpusFiles(corpus);
            List<String> orthancRefused = new ArrayList<>();
            List<String> onlyOrthanc = new ArrayList<>();
            int both = 0;
            for (Path f : files) {
                byte[] bytes = Files.readAllBytes(f);
                if (orthancTarget.stow(List.of(bytes)) != 200) {
                    orthancRefused.add(corpus.relativize(f).toString());
                } else if (steadfast.stow(List.of(bytes)) != 200) {
                    onlyOrthanc.add(corpus.relativize(f).toString());
                } else {
                    both++;
                }
            }
            System.out.printf("corpus: %d files in both; refused by Orthanc (so not sent to us): %s; only in Orthanc: %s%n",
                    both, orthancRefused, onlyOrthanc);
            Synthetic study = new Synthetic(corpus.resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
            long studyBytes = servers.storeInBoth(study, instances, 10);
            System.out.printf("synthetic study: %d instances, %,d bytes%n", instances, studyBytes);

            Map<String, String> shapes = new LinkedHashMap<>();
            shapes.put("all studies", "/studies");
            shapes.put("studies by PatientID", "/studies?PatientID=BENCH-WEB");
            shapes.put("studies by PatientName wildcard, includefield", "/studies?PatientName=Bench*&includefield=StudyDescription");
            shapes.put("series of a study", "/studies/" + study.study + "/series");
            shapes.put("instances of a " + instances + "-instance series", "/studies/" + study.study + "/series/" + study.series + "/instances");
            for (var shape : shapes.entrySet()) { // same answers from both, or the comparison means nothing
                for (Target t : targets) {
                    HttpResponse<byte[]> r = t.get(shape.getValue(), JSON);
                    System.out.printf("  %-10s %-55s HTTP %d, %d matches%n", t.name, shape.getKey(), r.statusCode(),
                            count(r.body(), "\"0020000D\""));
                }
            }

            Map<String, List<double[]>> results = new LinkedHashMap<>(); // key -> per round {p50, p95} or {MB/s}
            for (int round = 0; round < rounds; round++) {
                List<Target> order = round % 2 == 0 ? targets : targets.reversed();
                for (Target t : order) {
                    for (var shape : shapes.entrySet()) {
                        for (int w = 0; w < 10; w++) {
                            t.get(shape.getValue(), JSON);
                        }
                        long[] ns = new long[requests];
                        for (int i = 0; i < requests; i++) {
                            long t0 = System.nanoTime();
                            HttpResponse<byte[]> r = t.get(shape.getValue(), JSON);
                            ns[i] = System.nanoTime() - t0;
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException(t.name + " " + shape.getValue() + ": HTTP " + r.statusCode());
                            }
                        }
                        Arrays.sort(ns);
                        results.computeIfAbsent("qido|" + shape.getKey() + "|" + t.name, k -> new ArrayList<>())
                                .add(new double[] {ns[requests / 2] / 1e6, ns[(int) Math.ceil(requests * 0.95) - 1] / 1e6});
                    }
                    for (String accept : List.of(STORED, DEFAULT)) {
                        if (round == 0) {
                            t.getCounting("/studies/" + study.study, accept); // warm-up, page cache
                        }
                        long t0 = System.nanoTime();
                        long n = t.getCounting("/studies/" + study.study, accept);
                        double s = (System.nanoTime() - t0) / 1e9;
                        if (n < studyBytes) {
                            throw new IllegalStateException(t.name + " sent " + n + " bytes for a study of " + studyBytes);
                        }
                        results.computeIfAbsent("wado|" + (accept.equals(STORED) ? "transfer-syntax=*" : "default syntax")
                                + "|" + t.name, k -> new ArrayList<>()).add(new double[] {studyBytes / 1e6 / s});
                    }
                }
                System.out.printf("round %d done%n", round + 1);
            }
            report(results, shapes.keySet(), rounds, requests, instances, studyBytes);
        }
    }

    private static void report(Map<String, List<double[]>> results, Iterable<String> shapes, int rounds, int requests,
                               int instances, long studyBytes) {
        System.out.printf("%n%d rounds; QIDO-RS: %d sequential requests per shape and round (after 10 warm-up), "
                + "application/dicom+json; WADO-RS: whole study (%d instances, %.1f MB), once per round and mode.%n%n",
                rounds, requests, instances, studyBytes / 1e6);
        System.out.println("| QIDO-RS query | Steadfast p50 / p95 (ms) | Orthanc p50 / p95 (ms) | Orthanc / Steadfast p50 | p95 |");
        System.out.println("|---|---|---|---|---|");
        for (String shape : shapes) {
            double[] s = medians(results.get("qido|" + shape + "|steadfast"));
            double[] o = medians(results.get("qido|" + shape + "|orthanc"));
            System.out.printf("| %s | %.2f / %.2f | %.2f / %.2f | %.2f | %.2f |%n", shape, s[0], s[1], o[0], o[1],
                    o[0] / s[0], o[1] / s[1]);
        }
        System.out.println();
        System.out.println("| WADO-RS study retrieve | Steadfast MB/s | Orthanc MB/s | Steadfast / Orthanc |");
        System.out.println("|---|---|---|---|");
        for (String mode : List.of("transfer-syntax=*", "default syntax")) {
            double s = medians(results.get("wado|" + mode + "|steadfast"))[0];
            double o = medians(results.get("wado|" + mode + "|orthanc"))[0];
            System.out.printf("| %s | %.0f | %.0f | %.2f |%n", mode, s, o, s / o);
        }
    }

    /** Per column, the median over rounds. */
    private static double[] medians(List<double[]> rows) {
        double[] out = new double[rows.getFirst().length];
        for (int c = 0; c < out.length; c++) {
            final int col = c;
            double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
            out[c] = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
        return out;
    }

    static int count(byte[] body, String needle) {
        String s = new String(body, StandardCharsets.UTF_8);
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The corpus' well-formed files, minus the DICOMDIR. */
    private static List<Path> corpusFiles(Path corpus) throws IOException {
        List<String> lines = Files.readAllLines(corpus.resolve("MANIFEST.tsv"));
        return lines.subList(1, lines.size()).stream().map(l -> l.split("\t", -1)[0])
                .filter(n -> !n.startsWith("corrupt/") && !n.endsWith("DICOMDIR")).map(corpus::resolve).toList();
    }

    /** Copies of one file as a study: same pixels, fresh UIDs, numbered instances. */
    static final class Synthetic {
        private final DicomFile template;
        final String study = "2.25.9" + System.nanoTime();
        final String series = study + ".1";

        Synthetic(Path file) throws IOException {
            template = DicomReader.readFile(file);
        }

        byte[] instance(int number) throws IOException {
            Dataset ds = template.dataset(); // the same data set, its identifying values overwritten each time
            ds.setString(Tag.PatientID, VR.LO, "BENCH-WEB");
            ds.setString(Tag.PatientName, VR.PN, "Bench^Web");
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
            ds.setString(Tag.SOPInstanceUID, VR.UI, series + "." + number);
            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DicomWriter.writeFile(out, ds, template.transferSyntaxUid());
            return out.toByteArray();
        }
    }
}
