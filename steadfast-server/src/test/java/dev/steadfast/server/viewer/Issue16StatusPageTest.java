package dev.steadfast.server.viewer;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.testing.ViewerBrowser;
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
 * The administrator's status page at {@code /status} (issue 16), opened in headless chromium against a node
 * with two storage targets, one of them broken: the page says what {@code /health} says (overall status,
 * index, journal backlog, each target up or down), shows the archive's counts from {@code /api/statistics},
 * shows the forwarding and cluster sections exactly when their endpoints answer 200, and the viewer's header
 * links to it. With authentication on, the page loads without credentials but the data behind it does not.
 */
class Issue16StatusPageTest {
    @TempDir
    Path tmp;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStatusPageShowsWhatHealthSaysAndTheViewerLinksToIt() throws Exception {
        ViewerBrowser browser = new ViewerBrowser();
        Path data = tmp.resolve("data");
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(
                "storage.targets", "fs:" + a + ",fs:" + b,
                "storage.write-policy", "1 of 2",
                "storage.min-free-mb", "1",
                "storage.health-interval-seconds", "1"), List.of())) {
            String root = "http://127.0.0.1:" + node.httpPort();
            // Target b breaks: its folder becomes a plain file.
            try (var s = Files.walk(b)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            Files.writeString(b, "not a folder");
            String health = get(root + "/health").body();
            assertThat(health).contains("\"name\":\"fs:" + b + "\",\"up\":false");

            String seen = browser.statusPage(root);
            assertThat(seen).as("no page errors").contains("\"pageErrors\":[]");
            assertThat(seen).contains("\"overall\":\"Status: DEGRADED\"");
            assertThat(seen).contains("\"index\":\"reachable\"", "\"journal\":\"0 instance(s) waiting to be indexed\"");
            assertThat(seen).as("one row per target, up or down as /health says")
                    .contains("[\"fs:" + a + "\",\"up\",\"CLOSED\",\"0\",\"0\",")
                    .containsPattern("\\[\"fs:" + java.util.regex.Pattern.quote(b.toString()) + "\",\"down[^\"]*\",\"OPEN\"");
            assertThat(seen).contains("\"viewerLink\":\"/status\"");
            // Sections for the other helpers' endpoints appear exactly when those answer 200.
            for (String section : List.of("forwarding", "cluster")) {
                boolean answers = get(root + "/api/" + section).statusCode() == 200;
                if (answers) {
                    assertThat(seen).containsPattern("\"sections\":\\[[^\\]]*\"" + section + "\"");
                } else {
                    assertThat(seen).doesNotContainPattern("\"sections\":\\[[^\\]]*\"" + section + "\"");
                }
            }
            assertThat(seen).containsPattern("\"sections\":\\[\"health\",\"targets-section\",\"statistics\"");
            assertThat(seen).as("only the absent optional endpoints may fail")
                    .doesNotContainPattern("\"failedRequests\":\\[[^\\]]*(/health|/api/statistics)");
        }
    }

    @Test
    void withAuthenticationThePageLoadsButItsDataNeedsTheAdminRole() throws Exception {
        Path users = tmp.resolve("users");
        Files.writeString(users, ""); // a user store with nobody in it: every data request is refused
        Path data = tmp.resolve("data");
        try (ArchiveNode node = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data),
                Map.of("http.auth.users-file", users.toString()), List.of())) {
            String root = "http://127.0.0.1:" + node.httpPort();
            HttpResponse<String> page = get(root + "/status");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("/api/statistics", "/health").doesNotContain("\"studies\":");
            assertThat(get(root + "/api/statistics").statusCode()).isEqualTo(401);
            assertThat(get(root + "/health").statusCode()).isEqualTo(200);
        }
    }
}
