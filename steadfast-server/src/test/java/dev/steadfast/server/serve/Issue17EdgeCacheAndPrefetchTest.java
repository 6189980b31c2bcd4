package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, the edge beside the modalities, with the central archive as its peer (through a link
 * the test cuts): a new study for a patient brings that patient's most recent prior studies of the
 * configured modality from central (prefetch.priors: 2, modalities CT), not older ones nor other
 * modalities; with the link cut the prefetch is queued and retried, and completes once the link is
 * back. The cache limit then evicts the local copies central holds, byte for byte, and keeps the
 * studies only the edge holds (never the last copy); an evicted study is read again through
 * fallback retrieve, and central keeps it (eviction is not deletion).
 */
class Issue17EdgeCacheAndPrefetchTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private static void store(ArchiveNode node, String patient, String study, String modality, String date, int instances) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MOD").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        String series = Instances.uid();
        try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), o)) {
            for (int i = 0; i < instances; i++) {
                Dataset ds = Instances.image(study, series, Instances.uid(), 2048);
                ds.setString(Tag.PatientID, VR.LO, patient);
                ds.setString(Tag.Modality, VR.CS, modality);
                ds.setString(Tag.StudyDate, VR.DA, date);
                assertThat(c.store(Instances.source(ds), null, -1).status()).isEqualTo(Status.SUCCESS);
            }
        }
    }

    private static boolean holds(ArchiveNode node, String study) {
        return !node.index().read(tx -> tx.instances().ofStudy(study)).isEmpty();
    }

    private String get(ArchiveNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits for background work (prefetch) to show its effect; the test's timeout bounds it. */
    private static void await(BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            Thread.sleep(100);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void priorsArePrefetchedAndRetriedAndTheCacheEvictsOnlyWhatCentralHolds() throws Exception {
        Path central = tmp.resolve("central");
        Path edge = tmp.resolve("edge");
        try (ArchiveNode c = TestNodes.start(central, TestNodes.indexUrl(TestNodes.Db.SQLITE, central), Map.of(), List.of());
             TcpProxy link = TcpProxy.start("127.0.0.1", c.httpPort(), TcpProxy.Mode.SILENT);
             ArchiveNode e = TestNodes.start(edge, TestNodes.indexUrl(TestNodes.Db.SQLITE, edge), Map.of(
                     "sites.peer.url", "http://127.0.0.1:" + link.port(), "sites.peer.timeout-seconds", "2",
                     "prefetch.priors", "2", "prefetch.modalities", "CT", "cache.max-bytes", "1"), List.of())) {
            String patient = "P17-" + Instances.uid();
            String oldest = Instances.uid(), older = Instances.uid(), newest = Instances.uid(), mr = Instances.uid();
            store(c, patient, oldest, "CT", "20200101", 1);
            store(c, patient, older, "CT", "20210101", 2);
            store(c, patient, newest, "CT", "20220101", 2);
            store(c, patient, mr, "MR", "20230101", 1);

            String arriving = Instances.uid();
            store(e, patient, arriving, "CT", "20240101", 1);
            await(() -> holds(e, older) && holds(e, newest));
            assertThat(holds(e, oldest)).as("only the 2 most recent priors").isFalse();
            assertThat(holds(e, mr)).as("only CT priors").isFalse();

            // Link down: the prefetch fails, is queued again, and completes when the link is back.
            String other = "Q17-" + Instances.uid();
            String prior = Instances.uid();
            store(c, other, prior, "CT", "20190101", 1);
            link.cut();
            store(e, other, Instances.uid(), "CT", "20240102", 1);
            await(() -> {
                try {
                    return !get(e, "/metrics").contains("steadfast_prefetch_retries_total 0\n");
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            assertThat(holds(e, prior)).isFalse();
            link.restore();
            await(() -> holds(e, prior));
            assertThat(get(e, "/metrics")).contains("steadfast_prefetch_studies_total 3\n", "steadfast_prefetch_failures_total 0\n");

            // Cache limit (1 byte: everything is over it): what central holds goes, what only the edge holds stays.
            HttpResponse<String> evicted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.httpPort() + "/api/cache/evict"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(evicted.statusCode()).as(evicted.body()).isEqualTo(200);
            assertThat(evicted.body()).contains("\"evicted\":3", "\"keptNotHeldUpstream\":2");
            assertThat(holds(e, older) || holds(e, newest) || holds(e, prior)).isFalse();
            assertThat(holds(e, arriving)).as("the only copy is never evicted").isTrue();
            assertThat(holds(c, older)).as("eviction is not deletion").isTrue();
            assertThat(get(e, "/api/inventory/deletions")).contains("\"deletions\":[]");
            assertThat(get(e, "/metrics")).contains("steadfast_cache_evicted_studies_total 3\n", "steadfast_cache_kept_not_upstream 2\n");
            // Read again: fallback retrieve brings it back from central.
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.httpPort() + "/dicom-web/studies/" + newest))
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(holds(e, newest)).isTrue();
        }
    }
}
