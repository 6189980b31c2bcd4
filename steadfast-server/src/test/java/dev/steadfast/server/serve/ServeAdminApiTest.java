package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.DeletionRepository;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.Main;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin REST API under /api on a running serve with two storage targets: statistics and the
 * study list agree with what storescu sent; deletion is off by default (403, nothing deleted); on,
 * a deleted study is gone from QIDO-RS, C-FIND, WADO-RS and both targets, and stays gone after
 * scrub, repair and reindex even when a target kept its copies; immutable storage refuses (409).
 * /metrics carries latency histograms and DICOMweb request counters.
 */
class ServeAdminApiTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private ArchiveNode start(Path data, Map<String, String> extra) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("storage.targets", "fs:" + tmp.resolve("a") + ",fs:" + tmp.resolve("b"));
        flags.put("storage.min-free-mb", "1");
        flags.put("storage.repair-interval-seconds", "0"); // the test runs repair and scrub itself
        flags.put("storage.scrub-interval-hours", "0");
        flags.putAll(extra);
        return TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), flags, List.of());
    }

    private HttpResponse<String> send(ArchiveNode node, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", "application/dicom+json, application/json, */*")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return send(node, "GET", path);
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static List<String> strings(String json, String key) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static long storedBytes(Path target) throws Exception {
        try (Stream<Path> s = Files.walk(target)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long files(Path target, String studyUid) throws Exception {
        Path dir = target.resolve(StorageKey.studyPrefix(studyUid));
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void statisticsAndListingMatchWhatStorescuSentAndDeleteIsOffByDefault() throws Exception {
        List<Received> sent = DcmtkCorpus.oracle(tmp);
        List<Received> expected = new ArrayList<>();
        for (Received r : sent) {
            if (!DcmtkCorpus.lacksUids(r)) {
                expected.add(r);
            }
        }
        Set<String> studies = DcmtkCorpus.values(expected, Tag.StudyInstanceUID);
        Set<String> series = DcmtkCorpus.values(expected, Tag.SeriesInstanceUID);
        Set<String> sops = DcmtkCorpus.values(expected, Tag.SOPInstanceUID);
        Path data = tmp.resolve("data");
        try (ArchiveNode node = start(data, Map.of())) {
            Process scu = DcmtkCorpus.storescu(DcmtkCorpus.profile(tmp), "STEADFAST", node.dicomPort(), DcmtkCorpus.files(),
                    tmp.resolve("storescu.log"));
            scu.waitFor();

            HttpResponse<String> st = get(node, "/api/statistics");
            assertThat(st.statusCode()).as(st.body()).isEqualTo(200);
            assertThat(st.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(number(st.body(), "studies")).isEqualTo(studies.size());
            assertThat(number(st.body(), "series")).isEqualTo(series.size());
            assertThat(number(st.body(), "instances")).isEqualTo(sops.size());
            assertThat(number(st.body(), "patients")).isPositive().isLessThanOrEqualTo(studies.size());
            assertThat(number(st.body(), "storedBytes")).isEqualTo(storedBytes(tmp.resolve("a"))).isEqualTo(storedBytes(tmp.resolve("b")));
            assertThat(number(st.body(), "backlog")).isZero();
            assertThat(strings(st.body(), "name")).containsExactly("fs:" + tmp.resolve("a"), "fs:" + tmp.resolve("b"));
            assertThat(st.body()).contains("\"policy\":\"all\"").contains("\"up\":true").containsPattern("\"freeBytes\":[1-9]");

            // Every study exactly once across the pages, newest first by default.
            Set<String> listed = new HashSet<>();
            int pages = 0;
            for (int offset = 0; ; offset += 7) {
                HttpResponse<String> page = get(node, "/api/studies?limit=7&offset=" + offset);
                assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                assertThat(number(page.body(), "total")).isEqualTo(studies.size());
                List<String> uids = strings(page.body(), "studyInstanceUID");
                if (uids.isEmpty()) {
                    break;
                }
                assertThat(uids.size()).isLessThanOrEqualTo(7);
                for (String u : uids) {
                    assertThat(listed.add(u)).as("listed twice: " + u).isTrue();
                }
                pages++;
            }
            assertThat(listed).isEqualTo(studies);
            assertThat(pages).isEqualTo((studies.size() + 6) / 7);

            List<String> dates = strings(get(node, "/api/studies?sort=studyDate&order=asc&limit=1000").body(), "studyDate");
            assertThat(dates).isSortedAccordingTo(String::compareTo);

            // Filters, against the headers storescu sent.
            Map<String, Set<String>> studiesByModality = new HashMap<>();
            Map<String, Set<String>> studiesByPatient = new HashMap<>();
            for (Received r : expected) {
                Dataset h = DcmtkCorpus.header(r);
                String study = h.getString(Tag.StudyInstanceUID).strip();
                if (h.getString(Tag.Modality) != null) {
                    studiesByModality.computeIfAbsent(h.getString(Tag.Modality).strip(), k -> new HashSet<>()).add(study);
                }
                String pid = h.getString(Tag.PatientID);
                if (pid != null && pid.strip().matches("[A-Za-z0-9]+")) {
                    studiesByPatient.computeIfAbsent(pid.strip(), k -> new HashSet<>()).add(study);
                }
            }
            HttpResponse<String> mr = get(node, "/api/studies?Modality=MR&limit=1000");
            assertThat(mr.statusCode()).as(mr.body()).isEqualTo(200);
            assertThat(Set.copyOf(strings(mr.body(), "studyInstanceUID"))).isEqualTo(studiesByModality.get("MR"));
            String pid = studiesByPatient.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
                    .findFirst().orElse(studiesByPatient.keySet().iterator().next());
            HttpResponse<String> byPatient = get(node, "/api/studies?PatientID=" + pid + "&limit=1000");
            assertThat(Set.copyOf(strings(byPatient.body(), "studyInstanceUID"))).isEqualTo(studiesByPatient.get(pid));

            // One study in detail.
            String one = studies.iterator().next();
            long instancesOfOne = 0;
            Set<String> seriesOfOne = new HashSet<>();
            Set<String> sopsOfOne = new HashSet<>();
            for (Received r : expected) {
                Dataset h = DcmtkCorpus.header(r);
                if (h.getString(Tag.StudyInstanceUID).strip().equals(one)) {
                    seriesOfOne.add(h.getString(Tag.SeriesInstanceUID).strip());
                    sopsOfOne.add(r.sopInstanceUid());
                }
            }
            instancesOfOne = sopsOfOne.size();
            HttpResponse<String> detail = get(node, "/api/studies/" + one);
            assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
            assertThat(number(detail.body(), "numberOfInstances")).isEqualTo(instancesOfOne);
            assertThat(Set.copyOf(strings(detail.body(), "seriesInstanceUID"))).isEqualTo(seriesOfOne);

            HttpResponse<String> unknown = get(node, "/api/studies/1.2.3.999");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"message\":");
            HttpResponse<String> bad = get(node, "/api/studies?Colour=blue");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("unknown parameter");
            assertThat(get(node, "/api/studies?limit=0").statusCode()).isEqualTo(400);

            // Deletion is off unless configured: 403 naming the key, and nothing is deleted.
            HttpResponse<String> refused = send(node, "DELETE", "/api/studies/" + one + "?reason=test");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(refused.body()).contains("api.delete-enabled").contains("STEADFAST_API_DELETE_ENABLED");
            assertThat(get(node, "/api/studies/" + one).statusCode()).isEqualTo(200);
            assertThat(files(tmp.resolve("a"), one)).isEqualTo(instancesOfOne);
            assertThat(number(get(node, "/api/statistics").body(), "instances")).isEqualTo(sops.size());

            // Metrics: histograms parse, DICOMweb requests are counted by kind and status.
            String before = get(node, "/metrics").body();
            assertThat(get(node, "/dicom-web/studies?StudyInstanceUID=" + one).statusCode()).isEqualTo(200);
            assertThat(get(node, "/dicom-web/studies/1.2.3.999/metadata").statusCode()).isEqualTo(404);
            String after = get(node, "/metrics").body();
            checkHistograms(after);
            assertThat(counter(after, "steadfast_dicomweb_requests_total{kind=\"qido\",status=\"200\"}"))
                    .isEqualTo(counter(before, "steadfast_dicomweb_requests_total{kind=\"qido\",status=\"200\"}") + 1);
            assertThat(counter(after, "steadfast_dicomweb_requests_total{kind=\"metadata\",status=\"404\"}")).isEqualTo(1);
            assertThat(counter(after, "steadfast_dicomweb_request_seconds_count{kind=\"qido\"}")).isPositive();
            double stores = counter(after, "steadfast_instances_received_total");
            assertThat(stores).isGreaterThanOrEqualTo(sent.size());
            assertThat(counter(after, "steadfast_dimse_operation_seconds_count{operation=\"C-STORE\"}")).isEqualTo(stores);
            assertThat(counter(after, "steadfast_dimse_operation_seconds_bucket{operation=\"C-STORE\",le=\"+Inf\"}")).isEqualTo(stores);
        }
    }

    private static double counter(String metrics, String series) {
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    /** Every histogram: buckets ascend in le and never decrease, +Inf equals _count, _sum is there. */
    private static void checkHistograms(String metrics) {
        Pattern bucket = Pattern.compile("^(\\w+)_bucket\\{(.*),le=\"([^\"]+)\"} (\\d+)$");
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (String line : metrics.lines().toList()) {
            Matcher m = bucket.matcher(line);
            if (m.matches()) {
                double le = m.group(3).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3));
                series.computeIfAbsent(m.group(1) + "{" + m.group(2) + "}", k -> new ArrayList<>())
                        .add(new double[] {le, Double.parseDouble(m.group(4))});
            }
        }
        assertThat(series.keySet()).anyMatch(k -> k.startsWith("steadfast_dimse_operation_seconds{operation=\"C-STORE\""))
                .anyMatch(k -> k.startsWith("steadfast_dicomweb_request_seconds{kind=\"qido\""));
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> b = e.getValue();
            for (int i = 1; i < b.size(); i++) {
                assertThat(b.get(i)[0]).as(e.getKey()).isGreaterThan(b.get(i - 1)[0]);
                assertThat(b.get(i)[1]).as(e.getKey()).isGreaterThanOrEqualTo(b.get(i - 1)[1]);
            }
            assertThat(b.getLast()[0]).isInfinite();
            String name = e.getKey().substring(0, e.getKey().indexOf('{'));
            String labels = e.getKey().substring(e.getKey().indexOf('{'));
            assertThat(counter(metrics, name + "_count" + labels)).as(e.getKey()).isEqualTo(b.getLast()[1]);
            assertThat(metrics).contains(name + "_sum" + labels + " ");
            assertThat(metrics).contains("# TYPE " + name + " histogram");
        }
    }

    private List<Path> write(String study, int seriesCount, int each) throws Exception {
        List<Path> out = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            String se = Instances.uid();
            for (int i = 0; i < each; i++) {
                Path f = tmp.resolve("in").resolve(Instances.uid() + ".dcm");
                Files.createDirectories(f.getParent());
                try (OutputStream o = Files.newOutputStream(f)) {
                    DicomWriter.writeFile(o, Instances.image(study, se, Instances.uid(), 512), UID.ExplicitVRLittleEndian);
                }
                out.add(f);
            }
        }
        return out;
    }

    private void storescu(ArchiveNode node, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "127.0.0.1",
                String.valueOf(node.dicomPort())));
        files.forEach(f -> cmd.add(f.toString()));
        Peers.Result r = Peers.run(cmd, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private Peers.Result findscu(ArchiveNode node, String study) throws Exception {
        Peers.Result r = Peers.run(List.of(Peers.tool("findscu"), "-S", "-aec", "STEADFAST", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(node.dicomPort())), 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r;
    }

    /** Hard links keep a target's copies (bytes, time, checksum) as if it had been down during the delete. */
    private static List<Path[]> keep(Path target, String study, Path stash) throws Exception {
        List<Path[]> kept = new ArrayList<>();
        try (Stream<Path> s = Files.walk(target.resolve(StorageKey.studyPrefix(study)))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Path link = Files.createDirectories(stash).resolve("k" + kept.size());
                Files.createLink(link, p);
                kept.add(new Path[] {p, link});
            }
        }
        return kept;
    }

    private static void putBack(List<Path[]> kept) throws Exception {
        for (Path[] k : kept) {
            Files.createDirectories(k[0].getParent());
            Files.deleteIfExists(k[0]);
            Files.createLink(k[0], k[1]);
        }
    }

    @Test
    void aDeletedStudyIsGoneEverywhereAndStaysGoneAfterScrubRepairAndReindex() throws Exception {
        String gone = Instances.uid();
        String kept = Instances.uid();
        Path data = tmp.resolve("data");
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        List<Path[]> leftovers;
        try (ArchiveNode node = start(data, Map.of("api.delete-enabled", "true"))) {
            storescu(node, write(gone, 2, 2));
            storescu(node, write(kept, 1, 1));
            assertThat(findscu(node, gone).output()).contains(gone);

            HttpResponse<String> noReason = send(node, "DELETE", "/api/studies/" + gone);
            assertThat(noReason.statusCode()).isEqualTo(400);
            assertThat(noReason.body()).contains("reason");
            assertThat(send(node, "DELETE", "/api/studies/" + gone + "?reason=%20").statusCode()).isEqualTo(400);
            assertThat(send(node, "DELETE", "/api/studies/1.2.3.999?reason=x").statusCode()).isEqualTo(404);
            assertThat(files(a, gone)).isEqualTo(4);

            leftovers = keep(b, gone, tmp.resolve("stash"));
            String reason = "sent to the wrong archive";
            HttpResponse<String> deleted = send(node, "DELETE", "/api/studies/" + gone + "?reason="
                    + URLEncoder.encode(reason, StandardCharsets.UTF_8));
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
            assertThat(number(deleted.body(), "numberOfInstances")).isEqualTo(4);
            assertThat(number(deleted.body(), "numberOfSeries")).isEqualTo(2);
            assertThat(deleted.body()).contains("\"reason\":\"" + reason + "\"").contains("\"deletedBy\":\"http 127.0.0.1\"");

            List<DeletionRepository.Deletion> audit = node.index().read(tx -> tx.deletions().ofStudy(gone));
            assertThat(audit).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(reason);
                assertThat(d.sopUids()).hasSize(4);
                assertThat(d.completedAt()).isNotNull();
            });
            assertGone(node, gone, kept);
            assertThat(files(a, gone) + files(b, gone)).isZero();
            assertThat(send(node, "DELETE", "/api/studies/" + gone + "?reason=again").statusCode()).isEqualTo(404);

            // Target b "comes back" holding its old copies: repair and scrub remove them, never copy them back.
            putBack(leftovers);
            Scrubber scrubber = new Scrubber(node.targets(), new IndexChecksums(node.index()), Pace.UNLIMITED);
            ScrubReport repair = scrubber.repairAll(Progress.NONE);
            assertThat(repair.missingRepaired()).isZero();
            assertThat(repair.deletedRemoved()).isEqualTo(4);
            putBack(leftovers);
            ScrubReport scrub = scrubber.scrub(Progress.NONE);
            assertThat(scrub.deletedRemoved()).isEqualTo(4);
            assertThat(scrub.missingRepaired() + scrub.damagedRepaired()).isZero();
            assertThat(files(a, gone) + files(b, gone)).isZero();
            assertThat(files(a, kept)).isEqualTo(1);
            assertThat(files(b, kept)).isEqualTo(1);
            assertGone(node, gone, kept);
            putBack(leftovers);
        }
        // Reindex with the copies still on b: they are not indexed again.
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "reindex", "--data", data.toString(),
                "--storage", a.toString(), "--storage", b.toString());
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("deleted (skipped):  4").contains("indexed:            0");
        try (ArchiveNode node = start(data, Map.of("api.delete-enabled", "true"))) {
            assertGone(node, gone, kept);
        }
    }

    private void assertGone(ArchiveNode node, String gone, String kept) throws Exception {
        assertThat(get(node, "/api/studies/" + gone).statusCode()).isEqualTo(404);
        assertThat(get(node, "/api/studies/" + kept).statusCode()).isEqualTo(200);
        assertThat(strings(get(node, "/api/studies").body(), "studyInstanceUID")).containsExactly(kept);
        HttpResponse<String> qido = get(node, "/dicom-web/studies?StudyInstanceUID=" + gone);
        assertThat(qido.statusCode()).isIn(200, 204);
        assertThat(qido.body()).doesNotContain(gone);
        assertThat(get(node, "/dicom-web/studies?StudyInstanceUID=" + kept).body()).contains(kept);
        assertThat(get(node, "/dicom-web/studies/" + gone).statusCode()).isEqualTo(404);
        assertThat(get(node, "/dicom-web/studies/" + gone + "/metadata").statusCode()).isEqualTo(404);
        assertThat(findscu(node, gone).output()).doesNotContain(gone);
        assertThat(findscu(node, kept).output()).contains(kept);
    }

    @Test
    void immutableStorageRefusesDeletionAndKeepsTheStudy() throws Exception {
        String study = Instances.uid();
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("storage.immutable", "true", "api.delete-enabled", "true", "storage.min-free-mb", "1"), List.of())) {
            storescu(node, write(study, 1, 2));
            HttpResponse<String> r = send(node, "DELETE", "/api/studies/" + study + "?reason=test");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            assertThat(r.body()).contains("immutable");
            assertThat(number(get(node, "/api/studies/" + study).body(), "numberOfInstances")).isEqualTo(2);
            assertThat(files(data.resolve("storage"), study)).isEqualTo(2);
            List<DeletionRepository.Deletion> audit = node.index().read(tx -> tx.deletions().ofStudy(study));
            assertThat(audit).isEmpty();
        }
    }
}
