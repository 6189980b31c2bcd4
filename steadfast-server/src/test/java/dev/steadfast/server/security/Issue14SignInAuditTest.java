package dev.steadfast.server.security;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.AuditSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP sign-ins are audited (PS3.15 A.5.3.14 User Authentication): a refused token every time, an accepted one
 * once per user and address in 15 minutes (every request authenticates; the access messages name the user).
 */
class Issue14SignInAuditTest {
    @TempDir
    Path tmp;

    @Test
    void acceptedAndRefusedSignInsAreAudited() throws Exception {
        try (OidcProvider idp = new OidcProvider()) {
            try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                    "http.auth.oidc.issuer", idp.issuer(), "http.auth.oidc.audience", OidcProvider.AUDIENCE), List.of())) {
                String studies = "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies";
                String token = idp.token("read");
                for (int i = 0; i < 3; i++) {
                    assertThat(Web.get(studies, "Authorization", Web.bearer(token)).statusCode()).isIn(200, 204);
                }
                assertThat(Web.get(studies, "Authorization", Web.bearer(token + "x")).statusCode()).isEqualTo(401);
            }
        }
        List<String> records = Files.readAllLines(tmp.resolve("audit/access.log"), StandardCharsets.UTF_8).stream()
                .map(l -> l.split(" ", 3)[2]).filter(x -> x.contains("csd-code=\"110114\"")).toList();
        assertThat(records).hasSize(2);
        assertThat(records.get(0)).contains("EventOutcomeIndicator=\"0\"", "credentials accepted", "NetworkAccessPointID=\"127.0.0.1\"");
        assertThat(records.get(1)).contains("EventOutcomeIndicator=\"4\"", "credentials refused");
        for (String xml : records) {
            assertThat(AuditSchema.problems(xml)).as(xml).isEmpty();
        }
    }
}
