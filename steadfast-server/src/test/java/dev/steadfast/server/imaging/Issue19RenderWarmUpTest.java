package dev.steadfast.server.imaging;

import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ConfigLoader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import dev.steadfast.web.imaging.WarmUpResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 19, rendered frames after a start: serve renders synthetic images in the background once it
 * is ready (imaging.warm-up, on by default), so the JIT compiles the rendering path before a viewer
 * asks. Checked through serve's wiring: off, nothing runs; on, it renders, stops at the first real
 * rendered or frame request, and the images served meanwhile are the same bytes as without it; it writes
 * no stored file, no index row and no audit record.
 */
class Issue19RenderWarmUpTest {
    private static final String CT = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";

    @Test
    void warmUpRunsOnlyWhenOnGivesWayToRequestsAndTouchesNothingStored(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        String index = TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp);
        ServedCorpus.Image ct;
        byte[] rendered;
        byte[] thumbnail;
        try (ArchiveNode node = TestNodes.start(data, index, Map.of("imaging.warm-up", "false"), List.of())) {
            WarmUpResult off = node.renderWarmUp().get(10, TimeUnit.SECONDS);
            assertThat(off.stop()).isEqualTo(WarmUpResult.Stop.OFF);
            assertThat(off.images()).isZero();
            ct = ServedCorpus.store(node, Corpus.wellFormed().stream().filter(e -> e.name().equals(CT)).findFirst().orElseThrow(), tmp);
            rendered = image(node, ct.path() + "/rendered");
            thumbnail = image(node, ct.path() + "/thumbnail");
        }
        Map<String, String> stored = files(data.resolve("storage"));
        assertThat(stored).isNotEmpty();

        // On, asked at once: the request is answered as without the warm-up, which then stops.
        try (ArchiveNode node = TestNodes.start(data, index, Map.of("imaging.warm-up", "true"), List.of())) {
            assertThat(image(node, ct.path() + "/rendered")).isEqualTo(rendered);
            WarmUpResult r = node.renderWarmUp().get(120, TimeUnit.SECONDS);
            assertThat(r.stop()).as("%s", r).isEqualTo(WarmUpResult.Stop.REQUEST_ARRIVED);
            assertThat(image(node, ct.path() + "/thumbnail")).isEqualTo(thumbnail);
        }

        // A frame converted by the imaging hook (here to JPEG lossless; not a render) stops it too.
        try (ArchiveNode node = TestNodes.start(data, index, Map.of("imaging.warm-up", "true"), List.of())) {
            HttpResponse<byte[]> frame = ServedCorpus.get(node, ct.path() + "/frames/1",
                    "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.70");
            assertThat(frame.statusCode()).as(new String(frame.body())).isEqualTo(200);
            WarmUpResult r = node.renderWarmUp().get(120, TimeUnit.SECONDS);
            assertThat(r.stop()).as("%s", r).isEqualTo(WarmUpResult.Stop.REQUEST_ARRIVED);
        }

        // On, nobody asking: it runs to its end, and writes nothing a user keeps.
        try (ArchiveNode node = TestNodes.start(data, index, Map.of("imaging.warm-up", "true"), List.of())) {
            Path audit = data.resolve("audit").resolve("access.log");
            String auditBefore = Files.exists(audit) ? Files.readString(audit) : "";
            WarmUpResult r = node.renderWarmUp().get(120, TimeUnit.SECONDS);
            assertThat(r.stop()).as("%s", r).isEqualTo(WarmUpResult.Stop.DONE);
            assertThat(r.images()).isGreaterThan(100);
            assertThat(r.processCpu()).isPositive();
            assertThat(files(data.resolve("storage"))).isEqualTo(stored);
            String auditAfter = Files.exists(audit) ? Files.readString(audit) : "";
            assertThat(auditAfter).as("no access audited for the warm-up").doesNotContain("2.25.1907");
            assertThat(auditAfter.split("\"110104\"", -1)).as("instances transferred (the start's own application record may come late)")
                    .hasSameSizeAs(auditBefore.split("\"110104\"", -1));
            HttpResponse<byte[]> all = ServedCorpus.get(node, "/instances", "application/dicom+json");
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(new String(all.body())).as("one instance indexed, none of the warm-up's")
                    .contains(ct.path().substring(ct.path().lastIndexOf('/') + 1)).doesNotContain("2.25.1907");
            assertThat(new String(all.body()).split("\"00080018\"", -1)).hasSize(2);
            assertThat(image(node, ct.path() + "/rendered")).isEqualTo(rendered);
        }
    }

    @Test
    void onByDefaultOffByTheEnvironmentAndABadValueIsRefused() {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of(), List.of()).imaging().warmUp()).isTrue();
        assertThat(ConfigLoader.load(null, Map.of("STEADFAST_IMAGING_WARM_UP", "false"), Map.of(), List.of()).imaging().warmUp())
                .isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("imaging.warm-up", "sometimes"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("imaging.warm-up").hasMessageContaining("true or false");
    }

    private static byte[] image(ArchiveNode node, String path) throws Exception {
        HttpResponse<byte[]> r = ServedCorpus.get(node, path, "image/jpeg");
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        return r.body();
    }

    /** Every file under {@code root}: its size and modification time, by relative path. */
    private static Map<String, String> files(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
