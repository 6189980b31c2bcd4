package dev.steadfast.server.viewer;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web viewer (OHIF, issue 16) is served by serve's wiring: the build the Maven build unpacked beside the
 * classes, the study list at /viewer/, its files at the root, a generated app-config.js pointing at our
 * DICOMweb, and nothing that shadows DICOMweb, the API or /health, or lets a path leave the build.
 */
class Issue16ViewerTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(ArchiveNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theViewerIsServedBesideDicomWeb() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            HttpResponse<String> root = get(node, "/");
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValue("/viewer/");

            for (String route : List.of("/viewer/", "/viewer", "/viewer/viewer?StudyInstanceUIDs=1.2.3")) {
                HttpResponse<String> page = get(node, route);
                assertThat(page.statusCode()).as(route).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
                assertThat(page.body()).contains("<title>OHIF Viewer</title>", "/app-config.js");
            }

            HttpResponse<String> config = get(node, "/app-config.js");
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("routerBasename: '/viewer'", "qidoRoot: window.location.origin + '/dicom-web'",
                    "wadoRoot: window.location.origin + '/dicom-web'");

            // The app's own bundle, named in its index.html, comes from the build with a year's caching.
            String index = get(node, "/viewer/").body();
            String bundle = index.replaceAll("(?s).*src=\"(/app\\.bundle\\.[0-9a-f]+\\.js)\".*", "$1");
            assertThat(bundle).startsWith("/app.bundle.");
            HttpResponse<String> js = get(node, bundle);
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
            assertThat(js.headers().firstValue("Cache-Control").orElse("")).contains("immutable");

            // DICOMweb, the API and health are not shadowed; nothing outside the build is reachable.
            assertThat(get(node, "/health").statusCode()).isIn(200, 503);
            assertThat(get(node, "/dicom-web/studies").statusCode()).isIn(200, 204);
            assertThat(get(node, "/api/statistics").statusCode()).isEqualTo(200);
            for (String hostile : List.of("/../pom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/app.bundle.css/../../../LICENSE",
                    "/.hidden", "/nothing-here.js")) {
                assertThat(get(node, hostile).statusCode()).as(hostile).isIn(400, 404);
            }
        }
    }

    @Test
    void viewerOffServesNoViewer() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("viewer.enabled", "false"), List.of())) {
            assertThat(get(node, "/viewer/").statusCode()).isEqualTo(404);
            assertThat(get(node, "/app-config.js").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aViewerFolderWithoutABuildStopsServeWithAMessage() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestNodes.config(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("viewer.dir", empty.toString()), List.of()))
                .hasMessageContaining("viewer.dir").hasMessageContaining("index.html");
    }
}
