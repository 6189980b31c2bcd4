package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 and the first promise: an identity provider that is down must not stop the archive.
 * serve starts without it; requests it cannot check get 503 (try again), not 401 (your token is
 * bad); keys fetched before the provider went away keep working.
 */
class Issue14IdentityProviderDownTest {
    @TempDir
    Path tmp;

    @Test
    void serveStartsWithoutTheProviderAndSaysUnavailableNotUnauthorized() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // free again once closed: nothing listens there
        }
        String issuer = "http://127.0.0.1:" + closed + "/realms/down";
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                "http.auth.oidc.issuer", issuer, "http.auth.oidc.audience", "steadfast"), List.of())) {
            String root = "http://127.0.0.1:" + node.httpPort();
            RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), new JWTClaimsSet.Builder()
                    .issuer(issuer).audience("steadfast").subject("u").expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                    .claim("roles", List.of("read")).build());
            jwt.sign(new RSASSASigner(key));
            HttpResponse<String> r = Web.get(root + "/dicom-web/studies", "Authorization", Web.bearer(jwt.serialize()));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("authentication unavailable");
            assertThat(Web.get(root + "/health").statusCode()).isEqualTo(200);
            // Without credentials it is still a plain 401: nothing to check.
            assertThat(Web.get(root + "/dicom-web/studies").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void keysFetchedBeforeTheProviderWentAwayKeepWorking() throws Exception {
        OidcProvider idp = new OidcProvider();
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                "http.auth.oidc.issuer", idp.issuer(), "http.auth.oidc.audience", OidcProvider.AUDIENCE), List.of())) {
            String studies = "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies";
            String first = idp.token("read");
            String second = idp.token("read");
            assertThat(Web.get(studies, "Authorization", Web.bearer(first)).statusCode()).isIn(200, 204);
            idp.close();
            assertThat(Web.get(studies, "Authorization", Web.bearer(second)).statusCode()).isIn(200, 204);
        } finally {
            idp.close();
        }
    }
}
