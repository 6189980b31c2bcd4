package dev.steadfast.server.imaging;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 (hardening), rendered and thumbnail: an absurd viewport is a 400, an image is never
 * enlarged beyond imaging.max-upscale, the configured maximum holds for WADO-URI too, and while
 * renders keep the imaging threads busy the node still answers /health and C-ECHO.
 */
class Issue14RenderedLimitsTest {
    private static final String CT = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"; // 512 x 512
    private static final String LARGE = "xray/fo-dicom__GH133.dcm"; // 3062 x 2394, JPEG lossless

    private static Corpus.Entry entry(String name) {
        return Corpus.wellFormed().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static BufferedImage image(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void viewportsAreBoundedAndImagesNotBlownUp(@TempDir Path tmp) throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            ServedCorpus.Image ct = ServedCorpus.store(node, entry(CT), tmp);
            String rendered = ct.path() + "/rendered";

            // The hostile request: a 512x512 CT asked as a 16384x16384 JPEG.
            for (String r : List.of(rendered, ct.path() + "/thumbnail", ct.path() + "/frames/1/rendered")) {
                HttpResponse<byte[]> huge = ServedCorpus.get(node, r + "?viewport=16384,16384", "image/jpeg");
                assertThat(huge.statusCode()).as(r).isEqualTo(400);
                assertThat(new String(huge.body())).contains("viewport");
            }
            // Within the limit, at most twice the image's size (imaging.max-upscale, default 2).
            BufferedImage big = image(ServedCorpus.get(node, rendered + "?viewport=4096,4096", "image/jpeg"));
            assertThat(big.getWidth()).isEqualTo(1024);
            assertThat(big.getHeight()).isEqualTo(1024);
            // Shrinking and the image's own size are as asked.
            assertThat(image(ServedCorpus.get(node, rendered + "?viewport=256,256", "image/png")).getWidth()).isEqualTo(256);
            assertThat(image(ServedCorpus.get(node, rendered, "image/png")).getWidth()).isEqualTo(512);
            assertThat(image(ServedCorpus.get(node, ct.path() + "/thumbnail", "image/jpeg")).getWidth()).isEqualTo(128);

            // WADO-URI's rows and columns are bounded the same way.
            String[] uids = ct.path().substring(1).split("/");
            String wado = "/wado?requestType=WADO&studyUID=" + uids[1] + "&seriesUID=" + uids[3] + "&objectUID=" + uids[5]
                    + "&contentType=image/jpeg";
            assertThat(ServedCorpus.get(node, wado + "&rows=16384&columns=16384", null).statusCode()).isEqualTo(400);
            BufferedImage viaUri = image(ServedCorpus.get(node, wado + "&rows=4000&columns=4000", null));
            assertThat(viaUri.getWidth()).isEqualTo(1024);
        }
    }

    @Test
    void theConfiguredMaximumHolds(@TempDir Path tmp) throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("imaging.max-render-size", "300", "imaging.max-upscale", "1"), List.of())) {
            ServedCorpus.Image ct = ServedCorpus.store(node, entry(CT), tmp);
            assertThat(ServedCorpus.get(node, ct.path() + "/rendered?viewport=400,400", "image/jpeg").statusCode()).isEqualTo(400);
            // No viewport: the 512x512 image is fitted into 300x300.
            assertThat(image(ServedCorpus.get(node, ct.path() + "/rendered", "image/jpeg")).getWidth()).isEqualTo(300);
            // Upscale 1: never larger than the image.
            ServedCorpus.Image small = ServedCorpus.store(node, entry("mr/pydicom-data__emri_small.dcm"), tmp); // 64 x 64
            assertThat(image(ServedCorpus.get(node, small.path() + "/rendered?viewport=300,300", "image/jpeg")).getWidth())
                    .isEqualTo(64);
        }
    }

    /**
     * Renders of a large radiograph queued on one imaging thread: /health and C-ECHO are answered
     * while they are still running. Run on the request threads (virtual threads on the CPU's few
     * carriers, as before), they kept every carrier until done and the node answered nothing else.
     */
    @Test
    void healthAndEchoAnswerWhileRendersRun(@TempDir Path tmp) throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("imaging.threads", "1"), List.of())) {
            ServedCorpus.Image large = ServedCorpus.store(node, entry(LARGE), tmp);
            HttpClient http = HttpClient.newHttpClient();
            int renders = 2 * Runtime.getRuntime().availableProcessors() + 4;
            List<CompletableFuture<HttpResponse<byte[]>>> running = new ArrayList<>();
            for (int i = 0; i < renders; i++) {
                // Distinct windows: each is a real render, none served from a cache.
                URI u = URI.create("http://127.0.0.1:" + node.httpPort() + "/dicom-web" + large.path()
                        + "/rendered?window=" + (1000 + i) + ",2000");
                running.add(http.sendAsync(HttpRequest.newBuilder(u).header("Accept", "image/jpeg").build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            try (DimseClient c = DimseClient.open("127.0.0.1", node.dicomPort(), new ClientOptions().callingAeTitle("ECHO")
                    .calledAeTitle("STEADFAST").propose(UID.Verification, UID.ImplicitVRLittleEndian))) {
                assertThat(c.echo().status()).isEqualTo(Status.SUCCESS);
            }
            long stillRunning = running.stream().filter(f -> !f.isDone()).count();
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(stillRunning).as("renders still running when /health and C-ECHO answered").isPositive();
            // Where the pixel work runs: sampled while renders are outstanding, only on the imaging
            // pool's platform threads, never more than imaging.threads at once (before: on the
            // requests' virtual threads, as many at once as requests came in).
            java.util.Set<String> seen = new java.util.TreeSet<>();
            int most = 0;
            while (running.stream().anyMatch(f -> !f.isDone())) {
                int now = 0;
                for (var t : Thread.getAllStackTraces().entrySet()) {
                    if (java.util.Arrays.stream(t.getValue()).anyMatch(f -> f.getClassName().startsWith("dev.steadfast.imaging."))) {
                        seen.add(t.getKey().getName().replaceAll("\\d+$", "N"));
                        now++;
                    }
                }
                most = Math.max(most, now);
                Thread.sleep(10);
            }
            assertThat(seen).as("threads seen decoding or rendering").containsExactly("steadfast-imaging-N");
            assertThat(most).as("threads rendering at once").isEqualTo(1);
            for (CompletableFuture<HttpResponse<byte[]>> f : running) {
                assertThat(f.get().statusCode()).as("each render completes (or is refused as busy)").isIn(200, 503);
            }
        }
    }
}
