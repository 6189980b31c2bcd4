package dev.steadfast.server.security;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.testing.ViewerBrowser;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With HTTP authentication on, the served viewer signs its user in at the identity provider (OIDC authorization
 * code with PKCE, a real provider: mock-oauth2-server), comes back to the study, and shows it: its DICOMweb
 * requests carry the access token and pass the archive's bearer check (issue 14, and the viewer of issue 16).
 * Headless Chromium through playwright-core, as in Issue16ViewerBrowserTest.
 */
class Issue14ViewerSignInTest {
    @TempDir
    Path tmp;

    @Test
    void theViewerSignsInWithPkceAndShowsTheStudy() throws Exception {
        Path file = Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm");
        ViewerBrowser browser = new ViewerBrowser();
        String study = DicomReader.readFile(file).dataset().getString(Tag.StudyInstanceUID);
        try (OidcProvider idp = new OidcProvider();
             ArchiveNode archive = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                     "http.auth.oidc.issuer", idp.issuer(),
                     "http.auth.oidc.audience", OidcProvider.AUDIENCE,
                     "viewer.oidc-client-id", "ohif-viewer"), List.of())) {
            for (int i = 0; i < 8; i++) { // the tokens the provider hands out at sign-in (and any renewal)
                idp.server.enqueueCallback(new DefaultOAuth2TokenCallback(OidcProvider.ISSUER_ID, "radiologist", "JWT",
                        List.of(OidcProvider.AUDIENCE), Map.of("roles", List.of("read")), 3600));
            }
            Peers.Result sent = Peers.run(List.of(Peers.tool("storescu"), "-aec", "STEADFAST", "127.0.0.1",
                    String.valueOf(archive.dicomPort()), file.toString()), 60);
            assertThat(sent.exitCode()).as(sent.output()).isZero();

            Path shot = tmp.resolve("signed-in.png");
            String url = "http://127.0.0.1:" + archive.httpPort() + "/viewer/viewer?StudyInstanceUIDs=" + study;
            String json = browser.open(url, shot);
            assertThat(json).contains("\"shown\":true");
            assertThat(json).as("no page errors").contains("\"pageErrors\":[]");
            // The sign-in's redirects may abort the loading of a script chunk (net::ERR_ABORTED), which the app loads
            // again; what must not fail is any answer of the archive: no DICOMweb request, no HTTP error status.
            String failed = json.replaceAll("(?s).*\"failedRequests\":\\[(.*?)\\].*", "$1");
            for (String request : failed.isEmpty() ? new String[0] : failed.split("\",\"")) {
                String r = request.replace("\"", "");
                assertThat(r).as("a failed request").endsWith("net::ERR_ABORTED").doesNotContain("/dicom-web/");
            }
        }
    }
}
