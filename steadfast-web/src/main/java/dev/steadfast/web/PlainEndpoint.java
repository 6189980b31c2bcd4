package dev.steadfast.web;

import java.util.function.Supplier;

/**
 * An operational endpoint served beside DICOMweb on the same port (the node's {@code /health} and
 * {@code /metrics}): GET (or HEAD) {@code path} answers a small text body built on each request.
 */
public record PlainEndpoint(String path, Supplier<Answer> answer) {
    public PlainEndpoint {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("endpoint path must start with /: " + path);
        }
    }

    /** What one request gets: HTTP status, media type and body (UTF-8). */
    public record Answer(int status, String contentType, String body) {
    }
}
