package dev.steadfast.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Who may use HTTP, from which web origins, and the URL the archive names itself by.
 *
 * @param publicBaseUrl  the DICOMweb service root as clients reach it ({@code http.public-base-url}),
 *                       used in every RetrieveURL, BulkDataURI and Content-Location; null: the
 *                       address and port of the connection (never the Host header)
 * @param corsOrigins    origins browser viewers may read from ({@code http.cors.allowed-origins}); empty: none
 * @param corsMethods    methods those origins may use ({@code http.cors.allowed-methods})
 * @param usersFile      the built-in user store, for HTTP Basic ({@code http.auth.users-file}), or null
 * @param oidc           the OIDC identity provider for bearer tokens, or null
 */
public record HttpSecurityConfig(String publicBaseUrl, List<String> corsOrigins, Set<String> corsMethods, Path usersFile,
                                 Oidc oidc) {
    public static final HttpSecurityConfig NONE = new HttpSecurityConfig(null, List.of(), Set.of("GET", "HEAD"), null, null);

    /**
     * @param issuer     the exact {@code iss} of accepted tokens; discovery starts there
     * @param audiences  accepted {@code aud} values (at least one)
     * @param jwksUri    the signing keys' location, or null to discover it
     * @param rolesClaim the claim with the read/write/admin roles (dotted for nested)
     */
    public record Oidc(String issuer, Set<String> audiences, URI jwksUri, String rolesClaim) {
        public Oidc {
            audiences = Set.copyOf(audiences);
            ConfigException.check(!audiences.isEmpty(), "http.auth.oidc.audience",
                    "is required with http.auth.oidc.issuer (the audience your identity provider puts in tokens for this archive)");
            ConfigException.check(rolesClaim != null && !rolesClaim.isBlank(), "http.auth.oidc.roles-claim", "is required");
        }
    }

    public HttpSecurityConfig {
        corsOrigins = List.copyOf(corsOrigins);
        corsMethods = Set.copyOf(corsMethods);
    }

    public boolean authenticationConfigured() {
        return usersFile != null || oidc != null;
    }
}
