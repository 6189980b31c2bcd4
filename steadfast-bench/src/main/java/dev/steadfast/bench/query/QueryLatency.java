package dev.steadfast.bench.query;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.StudyPlan;
import dev.steadfast.bench.util.Stats;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * C-FIND (Study Root, STUDY level) and QIDO-RS ({@code /studies}) latency of one server, for four
 * kinds of query whose values are drawn (seeded) from the studies known to be loaded:
 * PatientID; PatientName wildcard (first three letters of a family name + {@code *});
 * StudyDate 30-day range + ModalitiesInStudy CT; AccessionNumber. Each query is sent and its whole
 * answer read, one at a time, over one association (C-FIND) or one keep-alive connection (QIDO).
 */
public final class QueryLatency {
    public static final List<String> KINDS = List.of("PatientID", "PatientName*", "StudyDate+Modality", "AccessionNumber");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    /** One query: the C-FIND matching keys and the QIDO query string. */
    record Query(String kind, Map<Integer, String> keys, String qido) {}

    /** Latency percentiles in ms and the median number of matches. */
    public record Result(String kind, double p50, double p95, double p99, double medianMatches, int n) {}

    private QueryLatency() {}

    static List<Query> queries(DatasetGenerator gen, int loadedStudies, String kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ kind.hashCode());
        List<Query> qs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StudyPlan s = gen.study(r.nextInt(loadedStudies));
            Map<Integer, String> k = new LinkedHashMap<>();
            switch (kind) {
                case "PatientID" -> k.put(Tag.PatientID, s.patient().id());
                case "PatientName*" -> {
                    String family = s.patient().name().substring(0, s.patient().name().indexOf('^'));
                    k.put(Tag.PatientName, family.substring(0, Math.min(3, family.length())) + "*");
                }
                case "StudyDate+Modality" -> {
                    LocalDate from = s.date().minusDays(r.nextInt(30));
                    k.put(Tag.StudyDate, DA.format(from) + "-" + DA.format(from.plusDays(29)));
                    k.put(Tag.ModalitiesInStudy, "CT");
                }
                case "AccessionNumber" -> k.put(Tag.AccessionNumber, s.accession());
                default -> throw new IllegalArgumentException(kind);
            }
            StringBuilder q = new StringBuilder();
            for (var e : k.entrySet()) {
                q.append(q.isEmpty() ? "" : "&").append(keyword(e.getKey())).append('=')
                        .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
            qs.add(new Query(kind, k, q.toString()));
        }
        return qs;
    }

    private static String keyword(int tag) {
        return tag == Tag.PatientID ? "PatientID" : tag == Tag.PatientName ? "PatientName" : tag == Tag.StudyDate ? "StudyDate"
                : tag == Tag.ModalitiesInStudy ? "ModalitiesInStudy" : "AccessionNumber";
    }

    /** C-FIND latencies, one association for all queries. */
    public static List<Result> cfind(String host, int port, String aet, DatasetGenerator gen, int loadedStudies, int warmup,
                                     int n, long seed) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("BENCHSCU").calledAeTitle(aet)
                .propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
        List<Result> out = new ArrayList<>();
        try (DimseClient c = DimseClient.open(host, port, o)) {
            for (String kind : KINDS) {
                List<Query> qs = queries(gen, loadedStudies, kind, warmup + n, seed);
                double[] ms = new double[n];
                double[] matches = new double[n];
                for (int i = 0; i < qs.size(); i++) {
                    Dataset keys = returnKeys();
                    for (var e : qs.get(i).keys().entrySet()) {
                        keys.setString(e.getKey(), e.getValue());
                    }
                    int[] count = {0};
                    long t0 = System.nanoTime();
                    DimseResponse rsp = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys, m -> {
                        count[0]++;
                        return true;
                    });
                    long t = System.nanoTime() - t0;
                    if (!rsp.status().isSuccess()) {
                        throw new IllegalStateException("C-FIND " + qs.get(i) + " failed: " + rsp);
                    }
                    if (i >= warmup) {
                        ms[i - warmup] = t / 1e6;
                        matches[i - warmup] = count[0];
                    }
                }
                out.add(result(kind, ms, matches));
            }
        }
        return out;
    }

    /** QIDO-RS latencies, {@code GET base/studies?...}, JSON, one HTTP/1.1 client. */
    public static List<Result> qido(String base, DatasetGenerator gen, int loadedStudies, int warmup, int n, long seed)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Result> out = new ArrayList<>();
        for (String kind : KINDS) {
            List<Query> qs = queries(gen, loadedStudies, kind, warmup + n, seed);
            double[] ms = new double[n];
            double[] matches = new double[n];
            for (int i = 0; i < qs.size(); i++) {
                HttpRequest rq = HttpRequest.newBuilder(URI.create(base + "/studies?" + qs.get(i).qido()))
                        .header("Accept", "application/dicom+json").build();
                long t0 = System.nanoTime();
                HttpResponse<String> rsp = http.send(rq, HttpResponse.BodyHandlers.ofString());
                long t = System.nanoTime() - t0;
                if (rsp.statusCode() != 200 && rsp.statusCode() != 204) {
                    throw new IllegalStateException("QIDO " + rq.uri() + " -> " + rsp.statusCode() + " " + rsp.body());
                }
                if (i >= warmup) {
                    ms[i - warmup] = t / 1e6;
                    matches[i - warmup] = countStudies(rsp.body());
                }
            }
            out.add(result(kind, ms, matches));
        }
        return out;
    }

    private static int countStudies(String json) {
        int n = 0;
        for (int i = json.indexOf("\"0020000D\""); i >= 0; i = json.indexOf("\"0020000D\"", i + 1)) {
            n++;
        }
        return n;
    }

    private static Dataset returnKeys() {
        Dataset keys = new Dataset();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        for (int t : new int[] {Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ModalitiesInStudy, Tag.StudyDescription,
                Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID,
                Tag.NumberOfStudyRelatedInstances}) {
            keys.setNull(t, ElementDictionary.vrOf(t));
        }
        return keys;
    }

    private static Result result(String kind, double[] ms, double[] matches) {
        return new Result(kind, Stats.percentile(ms, 50), Stats.percentile(ms, 95), Stats.percentile(ms, 99),
                Stats.percentile(matches, 50), ms.length);
    }

    static String format(Result r) {
        return String.format(Locale.ROOT, "%-20s p50 %7.2f  p95 %7.2f  p99 %7.2f ms  (median %.0f matches, n=%d)", r.kind(), r.p50(),
                r.p95(), r.p99(), r.medianMatches(), r.n());
    }
}
