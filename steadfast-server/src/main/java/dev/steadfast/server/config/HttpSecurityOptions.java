package dev.steadfast.server.config;

import dev.steadfast.web.http.Cors;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Reads the {@code http.public-base-url}, {@code http.cors.*} and {@code http.auth.*} options. */
final class HttpSecurityOptions {
    static final List<ConfigOptions.Option> ALL = List.of(
            new ConfigOptions.Option("http.public-base-url", null,
                    "DICOMweb root as clients reach it, e.g. https://pacs.example.org/dicom-web; used in every URL we return; "
                            + "none: the connection's own address (never the Host header)"),
            new ConfigOptions.Option("http.cors.allowed-origins", null,
                    "web origins (https://viewer.example.org) whose pages may read DICOMweb (list); none: no cross-origin access; * is refused"),
            new ConfigOptions.Option("http.cors.allowed-methods", "GET,HEAD", "methods those origins may use (add POST for STOW from a viewer)"),
            new ConfigOptions.Option("http.auth.users-file", null,
                    "built-in users (HTTP Basic): file of password hashes written by 'steadfast user add'"),
            new ConfigOptions.Option("http.auth.oidc.issuer", null,
                    "OIDC identity provider: exact issuer of accepted bearer tokens; its JWKS is discovered from it"),
            new ConfigOptions.Option("http.auth.oidc.audience", null, "accepted token audiences (list); required with the issuer"),
            new ConfigOptions.Option("http.auth.oidc.jwks-uri", null, "signing keys' URL; none: from the issuer's discovery document"),
            new ConfigOptions.Option("http.auth.oidc.roles-claim", "roles",
                    "token claim holding read/write/admin (a list or space-separated string; dotted for nested, e.g. realm_access.roles)"));

    private HttpSecurityOptions() {
    }

    /** @param get an option's value (null when unset) by key */
    static HttpSecurityConfig read(Function<String, String> get) {
        String base = get.apply("http.public-base-url");
        if (base != null) {
            URI u;
            try {
                u = URI.create(base);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("http.public-base-url", "not a URL: '" + base + "'");
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            ConfigException.check((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null
                    && u.getQuery() == null && u.getFragment() == null, "http.public-base-url",
                    "must be an absolute http(s) URL without query, e.g. https://pacs.example.org/dicom-web: '" + base + "'");
            base = base.replaceAll("/+$", "");
        }
        List<String> origins = list(get.apply("http.cors.allowed-origins")).stream().toList();
        Set<String> methods = list(get.apply("http.cors.allowed-methods"));
        for (String m : methods) {
            ConfigException.check(Set.of("GET", "HEAD", "POST", "PUT", "DELETE").contains(m.toUpperCase(Locale.ROOT)),
                    "http.cors.allowed-methods", "unknown method '" + m + "' (GET, HEAD, POST, PUT, DELETE)");
        }
        try {
            origins = new Cors(origins, methods, 600).allowedOrigins();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.cors.allowed-origins", e.getMessage());
        }
        String users = get.apply("http.auth.users-file");
        Path usersFile = null;
        if (users != null) {
            usersFile = Path.of(users);
            ConfigException.check(Files.isRegularFile(usersFile), "http.auth.users-file",
                    "no such file: " + users + " (create it with 'steadfast user add --users-file " + users + " NAME')");
        }
        HttpSecurityConfig.Oidc oidc = null;
        String issuer = get.apply("http.auth.oidc.issuer");
        if (issuer != null) {
            ConfigException.check(issuer.startsWith("https://") || issuer.startsWith("http://"), "http.auth.oidc.issuer",
                    "must be the issuer's http(s) URL: '" + issuer + "'");
            String jwks = get.apply("http.auth.oidc.jwks-uri");
            URI jwksUri;
            try {
                jwksUri = jwks == null ? null : URI.create(jwks);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("http.auth.oidc.jwks-uri", "not a URL: '" + jwks + "'");
            }
            oidc = new HttpSecurityConfig.Oidc(issuer, list(get.apply("http.auth.oidc.audience")), jwksUri,
                    get.apply("http.auth.oidc.roles-claim"));
        } else {
            ConfigException.check(get.apply("http.auth.oidc.audience") == null && get.apply("http.auth.oidc.jwks-uri") == null,
                    "http.auth.oidc.issuer", "is required when other http.auth.oidc options are set");
        }
        return new HttpSecurityConfig(base, origins, methods, usersFile, oidc);
    }

    private static Set<String> list(String v) {
        Set<String> out = new LinkedHashSet<>();
        if (v != null) {
            Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }
}
