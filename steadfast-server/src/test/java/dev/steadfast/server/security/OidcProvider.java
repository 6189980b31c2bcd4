package dev.steadfast.server.security;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/** A real OIDC provider (mock-oauth2-server: discovery, JWKS, token and authorize endpoints) on a free loopback port. */
final class OidcProvider implements AutoCloseable {
    static final String ISSUER_ID = "steadfast";
    static final String AUDIENCE = "steadfast-archive";

    final MockOAuth2Server server = new MockOAuth2Server();

    OidcProvider() {
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    String issuer() {
        return issuer(ISSUER_ID);
    }

    String issuer(String id) {
        return server.issuerUrl(id).toString();
    }

    /** A token from our issuer, for our audience, valid for an hour, with these roles in the {@code roles} claim. */
    String token(String... roles) {
        return token(ISSUER_ID, AUDIENCE, 3600, Map.of("roles", List.of(roles)));
    }

    String token(String issuerId, String audience, long expirySeconds, Map<String, Object> claims) {
        return signed(issuerId, audience, expirySeconds, claims).serialize();
    }

    SignedJWT signed(String issuerId, String audience, long expirySeconds, Map<String, Object> claims) {
        return server.issueToken(issuerId, "user-" + audience, audience, claims, expirySeconds);
    }

    static JWTClaimsSet claims(SignedJWT jwt) throws java.text.ParseException {
        return jwt.getJWTClaimsSet();
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
