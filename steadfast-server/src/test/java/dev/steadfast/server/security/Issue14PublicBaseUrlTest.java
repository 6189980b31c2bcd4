package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: RetrieveURL and BulkDataURI were built from the request's Host header, so a client
 * could make the archive hand out links to a host of its choosing. Now the configured public base
 * URL builds them, or (unconfigured) the address the connection came in on.
 */
class Issue14PublicBaseUrlTest {
    private static final String EVIL = "evil.example:666";

    @TempDir
    Path tmp;

    @Test
    void aLyingHostHeaderNeverReachesTheUrlsWeReturn() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            String study = Web.uid();
            String own = "http://127.0.0.1:" + node.httpPort() + "/dicom-web";
            String stow = Web.raw(node.httpPort(), "POST", "/dicom-web/studies", EVIL, Web.stowBody(study),
                    "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=xyzzy", "Accept", "application/dicom+json");
            assertThat(stow).startsWith("HTTP/1.1 200").doesNotContain("evil.example").contains(own + "/studies/" + study);
            String qido = Web.raw(node.httpPort(), "GET", "/dicom-web/studies?StudyInstanceUID=" + study, EVIL, null,
                    "Accept", "application/dicom+json");
            assertThat(qido).startsWith("HTTP/1.1 200").doesNotContain("evil.example").contains(own + "/studies/" + study);
            // An absolute request target names a host too; it is ignored the same way.
            String absolute = Web.raw(node.httpPort(), "GET", "http://" + EVIL + "/dicom-web/studies?StudyInstanceUID=" + study, EVIL,
                    null, "Accept", "application/dicom+json");
            assertThat(absolute).doesNotContain("evil.example");
        }
    }

    @Test
    void theConfiguredPublicBaseUrlBuildsEveryUrl() throws Exception {
        String pub = "https://pacs.example.org/imaging/dicom-web";
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("http.public-base-url", pub + "/"), List.of())) {
            String study = Web.uid();
            String stow = Web.raw(node.httpPort(), "POST", "/dicom-web/studies", EVIL, Web.stowBody(study),
                    "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=xyzzy", "Accept", "application/dicom+json");
            assertThat(stow).startsWith("HTTP/1.1 200").contains(pub + "/studies/" + study).doesNotContain("evil.example")
                    .doesNotContain("127.0.0.1");
            String qido = Web.raw(node.httpPort(), "GET", "/dicom-web/studies/" + study + "/instances", EVIL, null,
                    "Accept", "application/dicom+json");
            assertThat(qido).contains(pub + "/studies/" + study + "/series/").doesNotContain("evil.example");
        }
    }
}
