package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, for the future viewer (OHIF): a browser app on another origin signs in with
 * authorization code + PKCE at the identity provider, then calls DICOMweb with the access token.
 * The archive must answer its preflight (which asks to send Authorization) without credentials,
 * accept the token, and let the page read both the data and a 401's challenge.
 */
class Issue14ViewerPkceTest {
    private static final String VIEWER = "https://viewer.example.org";
    private static final String REDIRECT = VIEWER + "/callback";

    @TempDir
    Path tmp;

    @Test
    void aViewerSignedInWithAuthorizationCodeAndPkceReadsDicomWebCrossOrigin() throws Exception {
        try (OidcProvider idp = new OidcProvider();
             ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(
                     "http.auth.oidc.issuer", idp.issuer(),
                     "http.auth.oidc.audience", OidcProvider.AUDIENCE,
                     "http.auth.oidc.roles-claim", "realm_access.roles", // Keycloak's place for realm roles
                     "http.cors.allowed-origins", VIEWER), List.of())) {
            String token = signInWithPkce(idp);
            String studies = "http://127.0.0.1:" + node.httpPort() + "/dicom-web/studies";

            HttpResponse<String> preflight = Web.options(studies, "Origin", VIEWER, "Access-Control-Request-Method", "GET",
                    "Access-Control-Request-Headers", "authorization");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().allValues("Access-Control-Allow-Origin")).containsExactly(VIEWER);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization");

            HttpResponse<String> read = Web.get(studies, "Origin", VIEWER, "Accept", "application/dicom+json",
                    "Authorization", Web.bearer(token));
            assertThat(read.statusCode()).isIn(200, 204);
            assertThat(read.headers().allValues("Access-Control-Allow-Origin")).containsExactly(VIEWER);

            // An expired or missing token: the page can read the status and the challenge, and sign in again.
            HttpResponse<String> refused = Web.get(studies, "Origin", VIEWER, "Accept", "application/dicom+json");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().allValues("Access-Control-Allow-Origin")).containsExactly(VIEWER);
            assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("WWW-Authenticate");

            // The same token has no write role: storing is refused.
            assertThat(Web.stow("http://127.0.0.1:" + node.httpPort() + "/dicom-web", Web.uid(), "Authorization", Web.bearer(token))
                    .statusCode()).isEqualTo(403);
        }
    }

    /** RFC 7636 against the provider: authorize with a S256 challenge, then redeem the code with the verifier. */
    private static String signInWithPkce(OidcProvider idp) throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        idp.server.enqueueCallback(new DefaultOAuth2TokenCallback(OidcProvider.ISSUER_ID, "radiologist", "JWT",
                List.of(OidcProvider.AUDIENCE), Map.of("realm_access", Map.of("roles", List.of("read", "offline_access"))), 3600));
        String authorize = idp.server.authorizationEndpointUrl(OidcProvider.ISSUER_ID) + "?response_type=code&client_id=ohif-viewer"
                + "&scope=openid&state=s1&nonce=n1&code_challenge_method=S256&code_challenge=" + challenge
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
        HttpResponse<String> login = Web.get(authorize);
        assertThat(login.statusCode()).isEqualTo(302);
        String location = login.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT);
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        assertThat(code.find()).isTrue();
        String form = "grant_type=authorization_code&client_id=ohif-viewer&code=" + code.group(1) + "&code_verifier=" + verifier
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
        HttpResponse<String> tokens = Web.HTTP.send(HttpRequest.newBuilder(URI.create(idp.server.tokenEndpointUrl(OidcProvider.ISSUER_ID)
                        .toString())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        Matcher access = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
        assertThat(access.find()).isTrue();
        return access.group(1);
    }
}
