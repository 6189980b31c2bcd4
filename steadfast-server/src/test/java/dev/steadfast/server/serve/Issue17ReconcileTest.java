package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.CliRun;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: two sites, each a serve (ArchiveNode, SQLite), made to diverge on purpose: instances
 * missing on either side within a study, whole studies on one side only, a study deleted on each
 * side. {@code steadfast reconcile} lists every difference without changing anything; with
 * {@code --fill} both inventories end identical (studies, counts, digests of SOP UIDs and data set
 * SHA-256s), the deleted studies are deleted on both and stay deleted (a second run finds nothing,
 * and a read at the site that deleted one does not fetch it back). Then serve's own reconcile
 * ({@code POST /api/reconcile}) fills a new gap and reports it in {@code /api/reconcile} and {@code /metrics}.
 */
class Issue17ReconcileTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private static final ClientOptions MODALITY = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
            .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);

    private static void store(ArchiveNode node, String study, String series, String... sops) throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), MODALITY)) {
            for (String sop : sops) {
                assertThat(c.store(Instances.source(Instances.image(study, series, sop, 2048)), null, -1).status()).isEqualTo(Status.SUCCESS);
            }
        }
    }

    private static void storeBoth(ArchiveNode a, ArchiveNode b, String study, String series, String... sops) throws Exception {
        store(a, study, series, sops);
        store(b, study, series, sops);
    }

    private HttpResponse<String> call(ArchiveNode node, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What two sites must agree on: each study with its instance count and digest (not when it arrived). */
    private TreeSet<String> inventory(ArchiveNode node) throws Exception {
        HttpResponse<String> r = call(node, "GET", "/api/inventory/studies");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        TreeSet<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\"studyInstanceUID\":\"([^\"]+)\",\"patientID\":\"[^\"]*\",\"instances\":(\\d+),\"digest\":\"([0-9a-f]+)\"")
                .matcher(r.body());
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return out;
    }

    private static List<String> studies(TreeSet<String> inventory) {
        List<String> out = new ArrayList<>();
        inventory.forEach(l -> out.add(l.substring(0, l.indexOf(' '))));
        return out;
    }

    @Test
    void aDeliberateDivergenceEndsWithIdenticalInventoriesAndTheDeletionsKept() throws Exception {
        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        try (ArchiveNode b = TestNodes.start(dataB, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataB), Map.of("api.delete-enabled", "true"), List.of());
             ArchiveNode a = TestNodes.start(dataA, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataA), Map.of("api.delete-enabled", "true",
                     "sites.peer.url", "http://127.0.0.1:" + b.httpPort()), List.of())) {
            String s1 = Instances.uid(), x1 = Instances.uid(), x2 = Instances.uid();
            String onlyA = Instances.uid(), onlyB = Instances.uid();
            storeBoth(a, b, s1, x1, Instances.uid(), Instances.uid(), Instances.uid());
            store(a, s1, x1, onlyA);                 // an instance missing at B
            store(b, s1, x1, onlyB);                 // an instance missing at A
            store(b, s1, x2, Instances.uid());       // a series missing at A
            String s2 = Instances.uid();
            store(b, s2, Instances.uid(), Instances.uid(), Instances.uid()); // a study only B holds
            String s4 = Instances.uid();
            store(a, s4, Instances.uid(), Instances.uid(), Instances.uid()); // a study only A holds
            String deletedAtA = Instances.uid();
            storeBoth(a, b, deletedAtA, Instances.uid(), Instances.uid(), Instances.uid());
            String deletedAtB = Instances.uid();
            storeBoth(a, b, deletedAtB, Instances.uid(), Instances.uid());
            assertThat(call(a, "DELETE", "/api/studies/" + deletedAtA + "?reason=wrong+patient").statusCode()).isEqualTo(200);
            assertThat(call(b, "DELETE", "/api/studies/" + deletedAtB + "?reason=wrong+patient").statusCode()).isEqualTo(200);
            TreeSet<String> beforeA = inventory(a);
            TreeSet<String> beforeB = inventory(b);
            assertThat(beforeA).isNotEqualTo(beforeB);

            String[] where = {"--data", dataA.toString(), "--db", "jdbc:sqlite:" + dataA.resolve("index.db").toAbsolutePath(),
                    "--peer", "http://127.0.0.1:" + b.httpPort()};
            CliRun listed = CliRun.of(concat(new String[]{"reconcile"}, where));
            assertThat(listed.exitCode()).as(listed.out() + listed.err()).isEqualTo(1);
            assertThat(listed.out()).contains("MISSING_HERE study " + s1 + ": 2 instances -> REPORTED")
                    .contains("MISSING_HERE study " + s2 + ": 2 instances -> REPORTED")
                    .contains("MISSING_AT_PEER study " + s1 + ": 1 instance -> REPORTED")
                    .contains("MISSING_AT_PEER study " + s4 + ": 2 instances -> REPORTED")
                    .contains("DELETED_HERE study " + deletedAtA + " -> REPORTED")
                    .contains("DELETED_AT_PEER study " + deletedAtB + " -> REPORTED");
            assertThat(inventory(a)).as("listing changes nothing").isEqualTo(beforeA);
            assertThat(inventory(b)).isEqualTo(beforeB);

            CliRun filled = CliRun.of(concat(new String[]{"reconcile", "--fill", "--json"}, where));
            assertThat(filled.exitCode()).as(filled.out() + filled.err()).isZero();
            assertThat(filled.out()).contains("\"filled\":7", "\"deleted\":2", "\"failed\":0", "\"inSync\":true");
            TreeSet<String> afterA = inventory(a);
            assertThat(afterA).isEqualTo(inventory(b));
            assertThat(studies(afterA)).containsExactlyInAnyOrder(s1, s2, s4);
            assertThat(afterA).anyMatch(l -> l.startsWith(s1 + " 6 "));

            CliRun again = CliRun.of(concat(new String[]{"reconcile", "--fill"}, where));
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("0 differences");
            // The deletion is kept: not at B, and a read at A (which has B as its peer) does not fetch it back.
            assertThat(call(b, "GET", "/dicom-web/studies/" + deletedAtA).statusCode()).isEqualTo(404);
            assertThat(call(a, "GET", "/dicom-web/studies/" + deletedAtA).statusCode()).isEqualTo(404);
            assertThat(call(a, "GET", "/dicom-web/studies/" + deletedAtB).statusCode()).isEqualTo(404);
            assertThat(call(a, "GET", "/api/studies/" + deletedAtB).statusCode()).isEqualTo(404);

            // The peer unreachable: a clear message and exit status 1, nothing changed.
            int closed = dev.steadfast.testing.Peers.freePort();
            CliRun down = CliRun.of("reconcile", "--data", dataA.toString(), "--db", "jdbc:sqlite:" + dataA.resolve("index.db").toAbsolutePath(),
                    "--peer", "http://127.0.0.1:" + closed, "--fill");
            assertThat(down.exitCode()).isEqualTo(1);
            assertThat(down.err()).contains("steadfast reconcile: peer site http://127.0.0.1:" + closed, "cannot connect");
            assertThat(inventory(a)).isEqualTo(afterA);

            // serve's own reconcile: a new gap, filled on demand, reported in /api/reconcile and /metrics.
            String s6 = Instances.uid();
            store(b, s6, Instances.uid(), Instances.uid());
            HttpResponse<String> run = call(a, "POST", "/api/reconcile");
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            assertThat(run.body()).contains("\"filled\":1", "\"inSync\":true", s6);
            assertThat(call(a, "GET", "/api/reconcile").body()).isEqualTo(run.body());
            assertThat(inventory(a)).isEqualTo(inventory(b));
            String metrics = call(a, "GET", "/metrics").body();
            assertThat(metrics).contains("steadfast_reconcile_runs_total 1\n", "steadfast_reconcile_last_differences 1\n",
                    "steadfast_reconcile_filled_total 1\n", "steadfast_reconcile_last_failed 0\n");
        }
    }

    /**
     * serve's periodic reconcile: the interval is in minutes in the configuration; here the loaded
     * configuration is copied with a one-second interval, and the node is started from it as serve does.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void servesPeriodicReconcileFillsAGapOnItsOwn() throws Exception {
        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        try (ArchiveNode b = TestNodes.start(dataB, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataB), Map.of(), List.of())) {
            var loaded = TestNodes.config(dataA, TestNodes.indexUrl(TestNodes.Db.SQLITE, dataA),
                    Map.of("sites.peer.url", "http://127.0.0.1:" + b.httpPort()), List.of());
            var s = loaded.sites();
            var everySecond = new dev.steadfast.server.config.SitesConfig(s.peerUrl(), s.user(), s.password(), s.timeout(),
                    java.time.Duration.ofSeconds(1), s.fill(), s.fallbackRetrieve(), s.cacheMaxAge(), s.cacheMaxBytes(),
                    s.cacheInterval(), s.prefetchPriors(), s.prefetchModalities(), s.queryPeer(), s.queryPeerTimeout(),
                    s.commitUpstream(), s.commitMaxWait(), s.fallbackDicom());
            var config = new dev.steadfast.server.config.ServeConfig(loaded.data(), loaded.dicom(), loaded.http(), loaded.storage(),
                    loaded.index(), loaded.ingest(), loaded.query(), loaded.retrieve(), loaded.access(), loaded.remoteAes(),
                    loaded.shutdownGrace(), loaded.imaging(), loaded.audit(), loaded.clusterData(), loaded.hl7(), loaded.forwarding(), loaded.cluster(), everySecond);
            String study = Instances.uid();
            store(b, study, Instances.uid(), Instances.uid(), Instances.uid());
            try (ArchiveNode a = ArchiveNode.start(config)) {
                // The counter only grows: a later run (nothing left to fill) cannot hide this one.
                while (!call(a, "GET", "/metrics").body().contains("steadfast_reconcile_filled_total 2\n")) {
                    Thread.sleep(100);
                }
                assertThat(a.index().read(tx -> tx.instances().ofStudy(study)).size()).isEqualTo(2);
                assertThat(call(a, "GET", "/api/reconcile").body()).contains("\"inSync\":true");
                assertThat(inventory(a)).isEqualTo(inventory(b));
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
