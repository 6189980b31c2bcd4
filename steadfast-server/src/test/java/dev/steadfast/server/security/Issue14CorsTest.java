package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: DICOMweb answered every origin with {@code Access-Control-Allow-Origin: *}, so any web
 * page a user opened could read patient data through the user's browser. Now: an allow-list,
 * empty by default, never {@code *}, and preflights answered for the listed origins only.
 */
class Issue14CorsTest {
    private static final String VIEWER = "https://viewer.example.org";
    private static final String EVIL = "https://evil.example";

    @TempDir
    Path tmp;

    private ArchiveNode node(Map<String, String> extra) throws Exception {
        return TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), extra, List.of());
    }

    @Test
    void byDefaultNoOriginMayReadDicomWeb() throws Exception {
        try (ArchiveNode node = node(Map.of())) {
            String studies = "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies";
            HttpResponse<String> get = Web.get(studies, "Origin", EVIL, "Accept", "application/dicom+json");
            assertThat(get.statusCode()).isIn(200, 204);
            assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> pre = Web.options(studies, "Origin", EVIL, "Access-Control-Request-Method", "GET");
            assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(pre.headers().allValues("Access-Control-Allow-Methods")).isEmpty();
        }
    }

    @Test
    void aListedViewerOriginIsEchoedAndOthersAreNot() throws Exception {
        try (ArchiveNode node = node(Map.of("http.cors.allowed-origins", VIEWER + ", http://localhost:3000"))) {
            String studies = "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies";
            HttpResponse<String> get = Web.get(studies, "Origin", VIEWER, "Accept", "application/dicom+json");
            assertThat(get.headers().allValues("Access-Control-Allow-Origin")).containsExactly(VIEWER);
            assertThat(String.join(",", get.headers().allValues("Vary"))).contains("Origin");
            assertThat(get.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Warning", "WWW-Authenticate");

            HttpResponse<String> evil = Web.get(studies, "Origin", EVIL, "Accept", "application/dicom+json");
            assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(String.join(",", evil.headers().allValues("Vary"))).contains("Origin");

            // The preflight of a viewer sending its bearer token.
            HttpResponse<String> pre = Web.options(studies, "Origin", VIEWER, "Access-Control-Request-Method", "GET",
                    "Access-Control-Request-Headers", "authorization,accept");
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().allValues("Access-Control-Allow-Origin")).containsExactly(VIEWER);
            assertThat(pre.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization", "Accept");
            assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("GET").doesNotContain("POST");
            // Storing cross-origin is not in the default methods.
            HttpResponse<String> post = Web.options(studies, "Origin", VIEWER, "Access-Control-Request-Method", "POST");
            assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> preEvil = Web.options(studies, "Origin", EVIL, "Access-Control-Request-Method", "GET",
                    "Access-Control-Request-Headers", "authorization");
            assertThat(preEvil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(preEvil.headers().firstValue("Access-Control-Allow-Headers")).isEmpty();
            // The admin API is never open cross-origin.
            HttpResponse<String> api = Web.get("http://127.0.0.1:" + node.httpPort() + "/api/statistics", "Origin", VIEWER);
            assertThat(api.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void aWildcardOriginIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> TestNodes.config(tmp, "jdbc:sqlite:" + tmp.resolve("i.db"), Map.of("http.cors.allowed-origins", "*"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.cors.allowed-origins").hasMessageContaining("'*' is not allowed");
        assertThatThrownBy(() -> TestNodes.config(tmp, "jdbc:sqlite:" + tmp.resolve("i.db"),
                Map.of("http.cors.allowed-origins", "https://viewer.example.org/path"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not an origin");
    }
}
