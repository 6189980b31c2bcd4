package dev.steadfast.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API tokens of the built-in users, sent as {@code Authorization: Bearer sf_...}: for scripts and
 * Prometheus, which should not hold a person's password. A token is 32 random bytes shown once
 * when made ({@code steadfast user token}); the user file keeps only its SHA-256 (a slow hash buys
 * nothing against 256 random bits), written {@code token-sha256$HEX}. Tokens start with
 * {@code sf_}, so beside an OIDC provider the two kinds of bearer token never get confused.
 */
public final class ApiTokens implements Authenticator {
    public static final String TOKEN_PREFIX = "sf_";
    public static final String HASH_PREFIX = "token-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserStore store;

    public ApiTokens(UserStore store) {
        this.store = store;
    }

    /** A new token (to show once) . */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** What the user file keeps of {@code token}. */
    public static String hash(String token) {
        try {
            return HASH_PREFIX + "$" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static boolean wellFormed(String stored) {
        return stored.matches(HASH_PREFIX + "\\$[0-9a-f]{64}");
    }

    /** Whether {@code credentials} look like one of ours (else an OIDC token, when one is configured). */
    public static boolean looksLikeToken(String credentials) {
        return credentials.strip().startsWith(TOKEN_PREFIX);
    }

    @Override
    public String scheme() {
        return "Bearer";
    }

    @Override
    public boolean accepts(String credentials) {
        return looksLikeToken(credentials);
    }

    @Override
    public String challenge(String error, boolean insufficientRole) {
        if (insufficientRole) {
            return "Bearer realm=\"steadfast\", error=\"insufficient_scope\", error_description=\"a role this resource needs is missing\"";
        }
        return error == null ? "Bearer realm=\"steadfast\""
                : "Bearer realm=\"steadfast\", error=\"invalid_token\", error_description=\"" + OidcBearer.quotable(error) + "\"";
    }

    @Override
    public Principal authenticate(String credentials) throws AuthenticationException {
        byte[] presented = hash(credentials.strip()).getBytes(StandardCharsets.US_ASCII);
        UserFile.User match = null;
        for (UserFile.User u : store.users().values()) {
            // Constant-time compare of hashes; every entry is compared, found or not.
            if (MessageDigest.isEqual(presented, u.hash().getBytes(StandardCharsets.US_ASCII))) {
                match = u;
            }
        }
        if (match == null) {
            throw new AuthenticationException("unknown API token");
        }
        return new Principal(match.name(), match.roles(), "Bearer");
    }
}
