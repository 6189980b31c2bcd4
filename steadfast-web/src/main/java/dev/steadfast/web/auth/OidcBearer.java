package dev.steadfast.web.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * OAuth2 / OIDC bearer access tokens (RFC 6750), as a viewer signed in with authorization code +
 * PKCE or a script with client credentials sends them: a JWS signed by a key in the issuer's JWKS
 * (asymmetric algorithms only: never {@code none}, never HMAC with a public key), from the
 * configured issuer, for one of the configured audiences, not expired. Roles come from a claim
 * (a list, or a space- or comma-separated string; a dotted name reaches into an object, e.g.
 * {@code realm_access.roles}); values other than read/write/admin are ignored.
 *
 * <p>The JWKS location is discovered from the issuer ({@code /.well-known/openid-configuration})
 * on first use, not at start, so the archive starts while the identity provider is down; keys are
 * cached and stay usable through an outage of the provider.
 */
public final class OidcBearer implements Authenticator {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    private static final long OUTAGE_TOLERANCE_MS = 12 * 3600_000L;
    private static final long DISCOVERY_BACKOFF_NANOS = 10_000_000_000L;

    private final String issuer;
    private final Set<String> audiences;
    private final URI configuredJwks;
    private final String rolesClaim;
    private final ResourceRetriever http = new DefaultResourceRetriever(5_000, 5_000, 512 * 1024);
    private volatile DefaultJWTProcessor<SecurityContext> processor;
    /** After a failed discovery, when to try again: until then requests fail fast instead of each waiting on timeouts. */
    private volatile long discoveryRetryAt;
    private volatile boolean discoveryFailed;

    /**
     * @param issuer     the {@code iss} every token must carry, exactly (also where discovery starts)
     * @param audiences  accepted {@code aud} values; a token must name at least one
     * @param jwksUri    where the signing keys are, or null to discover them from the issuer
     * @param rolesClaim the claim holding the roles, e.g. {@code roles} or {@code realm_access.roles}
     */
    public OidcBearer(String issuer, Set<String> audiences, URI jwksUri, String rolesClaim) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audiences = Set.copyOf(audiences);
        if (this.audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience is required");
        }
        this.configuredJwks = jwksUri;
        this.rolesClaim = Objects.requireNonNull(rolesClaim, "rolesClaim");
    }

    @Override
    public String scheme() {
        return "Bearer";
    }

    @Override
    public boolean accepts(String credentials) {
        return !ApiTokens.looksLikeToken(credentials);
    }

    @Override
    public String challenge(String error, boolean insufficientRole) {
        if (insufficientRole) {
            return "Bearer realm=\"steadfast\", error=\"insufficient_scope\", error_description=\"a role this resource needs is missing\"";
        }
        return error == null ? "Bearer realm=\"steadfast\""
                : "Bearer realm=\"steadfast\", error=\"invalid_token\", error_description=\"" + quotable(error) + "\"";
    }

    @Override
    public Principal authenticate(String token) throws AuthenticationException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.strip());
        } catch (ParseException e) {
            throw new AuthenticationException("not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw new AuthenticationException("unsigned tokens (alg none) are refused");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new AuthenticationException("encrypted tokens are not supported");
        }
        JWTClaimsSet claims;
        try {
            claims = processor().process(signed, null);
        } catch (KeySourceException e) {
            throw new AuthenticationException("the identity provider's keys cannot be fetched", true, e);
        } catch (BadJOSEException e) {
            throw new AuthenticationException(e.getMessage());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AuthenticationException("token signature cannot be checked: " + e.getMessage());
        }
        Object azp = claims.getClaim("azp"); // client-credentials tokens may name only the client
        String subject = claims.getSubject() != null ? claims.getSubject() : azp != null ? "client " + azp : "unnamed";
        return new Principal(subject, roles(claims), "Bearer");
    }

    private Set<Role> roles(JWTClaimsSet claims) {
        Object v = claims.getClaims();
        for (String part : rolesClaim.split("\\.")) {
            v = v instanceof Map<?, ?> m ? m.get(part) : null;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Collection<?> values = v instanceof Collection<?> c ? c
                : v instanceof String s ? List.of(s.split("[\\s,]+")) : List.of();
        for (Object o : values) {
            Role r = o == null ? null : Role.of(String.valueOf(o));
            if (r != null) {
                roles.add(r);
            }
        }
        return roles;
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws KeySourceException {
        DefaultJWTProcessor<SecurityContext> p = processor;
        if (p != null) {
            return p;
        }
        if (discoveryFailed && System.nanoTime() - discoveryRetryAt < 0) {
            throw new KeySourceException("OIDC discovery at " + issuer + " failed a moment ago; retrying shortly");
        }
        synchronized (this) {
            if (processor == null) {
                JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl(), http)
                        .retrying(true).outageTolerant(OUTAGE_TOLERANCE_MS).build();
                p = new DefaultJWTProcessor<>();
                // RFC 9068 access tokens say at+jwt; most providers still say JWT or nothing.
                p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
                p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
                DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(audiences,
                        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iss", "aud"), null);
                p.setJWTClaimsSetVerifier(verifier);
                processor = p;
            }
            return processor;
        }
    }

    /** The configured JWKS URL, or the one the issuer's discovery document names (OIDC Discovery 4). */
    private URL jwksUrl() throws KeySourceException {
        try {
            if (configuredJwks != null) {
                return configuredJwks.toURL();
            }
            URL discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration").toURL();
            Map<String, Object> doc = JSONObjectUtils.parse(http.retrieveResource(discovery).getContent());
            if (!issuer.equals(doc.get("issuer"))) {
                backOff();
                throw new KeySourceException("the discovery document names another issuer: " + doc.get("issuer"));
            }
            Object jwks = doc.get("jwks_uri");
            if (!(jwks instanceof String s)) {
                backOff();
                throw new KeySourceException("the discovery document has no jwks_uri");
            }
            return URI.create(s).toURL();
        } catch (IOException | ParseException | IllegalArgumentException e) {
            backOff();
            throw new KeySourceException("OIDC discovery at " + issuer + " failed: " + e.getMessage(), e);
        }
    }

    private void backOff() {
        discoveryRetryAt = System.nanoTime() + DISCOVERY_BACKOFF_NANOS;
        discoveryFailed = true;
    }

    /** Safe inside a quoted-string of a challenge: no quotes, backslashes or control characters. */
    static String quotable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == '"' || c == '\\' || c > 0x7e ? '\'' : c);
        }
        return sb.length() > 200 ? sb.substring(0, 200) : sb.toString();
    }
}
