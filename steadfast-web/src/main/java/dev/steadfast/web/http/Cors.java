package dev.steadfast.web.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for browser viewers.
 *
 * @param allowedOrigins origins allowed, {@code *} for any; empty turns CORS off
 * @param methods        methods allowed cross-origin (default GET and HEAD: viewers read, they
 *                       do not store)
 * @param maxAgeSeconds  how long a browser may cache a preflight answer
 */
public record Cors(List<String> allowedOrigins, Set<String> methods, int maxAgeSeconds) {

    public static final Cors DEFAULT = new Cors(List.of("*"), Set.of("GET", "HEAD"), 600);
    public static final Cors OFF = new Cors(List.of(), Set.of(), 0);

    public Cors {
        allowedOrigins = List.copyOf(allowedOrigins);
        methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("maxAgeSeconds must be >= 0");
        }
    }

    boolean allows(String origin, String method) {
        return origin != null && methods.contains(method.toUpperCase(Locale.ROOT))
                && (allowedOrigins.contains("*") || allowedOrigins.contains(origin));
    }

    /** The Access-Control-Allow-Origin value: {@code *} when any origin is allowed. */
    String allowOrigin(String origin) {
        return allowedOrigins.contains("*") ? "*" : origin;
    }

    static final String EXPOSED = "Warning, Content-Type, Content-Length, Content-Location, Content-Encoding";
}
