package dev.steadfast.web.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Cross-origin access for browser viewers: an allow-list of origins, empty by default (no
 * cross-origin access). {@code *} is refused: these are patient data, and a wildcard would let
 * any web page a user opens read them through the user's browser. An allowed origin is echoed
 * (with {@code Vary: Origin}, so caches keep answers per origin).
 *
 * <p>A viewer signed in with OIDC (authorization code + PKCE, e.g. OHIF) sends its access token in
 * an {@code Authorization} header: the preflight allows that header, and 401 answers expose
 * {@code WWW-Authenticate}, so the viewer can tell an expired token from a refusal.
 *
 * @param allowedOrigins origins allowed, as {@code scheme://host[:port]}; empty turns CORS off
 * @param methods        methods allowed cross-origin (default GET and HEAD: viewers read)
 * @param maxAgeSeconds  how long a browser may cache a preflight answer
 */
public record Cors(List<String> allowedOrigins, Set<String> methods, int maxAgeSeconds) {

    public static final Cors OFF = new Cors(List.of(), Set.of("GET", "HEAD"), 600);
    /** The default: no origin allowed. */
    public static final Cors DEFAULT = OFF;

    /** Request headers a cross-origin caller may send (answered in every preflight). */
    static final String ALLOWED_HEADERS = "Accept, Authorization, Content-Type";
    static final String EXPOSED = "Warning, Content-Type, Content-Length, Content-Location, Content-Encoding, WWW-Authenticate";

    public Cors {
        allowedOrigins = allowedOrigins.stream().map(Cors::origin).distinct().toList();
        methods = methods.stream().map(m -> m.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("maxAgeSeconds must be >= 0");
        }
    }

    /** Allows these origins for GET and HEAD. */
    public static Cors allowing(List<String> origins) {
        return new Cors(origins, Set.of("GET", "HEAD"), 600);
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** Whether a request from {@code origin} with {@code method} may be read cross-origin. */
    public boolean allows(String origin, String method) {
        return origin != null && methods.contains(method.toUpperCase(Locale.ROOT)) && allowedOrigins.contains(origin);
    }

    /**
     * Adds the headers of an actual (not preflight) response: {@code Vary: Origin} whenever CORS is
     * on, and the allow/expose headers when {@code origin} may read it.
     */
    public void decorate(String origin, String method, BiConsumer<String, String> header) {
        if (!enabled()) {
            return;
        }
        header.accept("Vary", "Origin");
        if (allows(origin, method)) {
            header.accept("Access-Control-Allow-Origin", origin);
            header.accept("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    /**
     * One origin as browsers send it: {@code scheme://host[:port]}, lower case, no path. A wildcard
     * or anything else is an error.
     */
    static String origin(String s) {
        String o = s.strip();
        if (o.contains("*")) {
            throw new IllegalArgumentException("'*' is not allowed as a CORS origin (patient data): list the viewers' origins");
        }
        URI u;
        try {
            u = URI.create(o);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an origin (scheme://host[:port]): '" + o + "'");
        }
        boolean bare = (u.getPath() == null || u.getPath().isEmpty()) && u.getQuery() == null && u.getFragment() == null
                && u.getUserInfo() == null;
        if (u.getScheme() == null || u.getHost() == null || !bare
                || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("not an origin (http(s)://host[:port], no path): '" + o + "'");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        // Browsers leave a default port out of Origin: so must the list, or it never matches.
        boolean defaultPort = u.getPort() == (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() >= 0 && !defaultPort ? ":" + u.getPort() : "");
    }
}
