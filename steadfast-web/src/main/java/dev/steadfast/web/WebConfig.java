package dev.steadfast.web;

import dev.steadfast.web.http.Cors;

import java.util.Objects;

/**
 * How the DICOMweb server listens and behaves. Immutable; validated when built.
 *
 * @param host            interface to bind (default 127.0.0.1)
 * @param port            TCP port, 0 for any free one (default 8080)
 * @param contextPath     where the services live (default {@code /dicom-web})
 * @param cors            cross-origin access (default: none; an allow-list of origins)
 * @param gzip            compress JSON and XML responses when the client accepts gzip (default true)
 * @param qidoMaxResults  most matches one QIDO-RS request returns, whatever its {@code limit};
 *                        more are cut off with a Warning header (default 1000)
 * @param publicBaseUrl   URL clients reach the services at (behind a proxy), used in RetrieveURL and
 *                        BulkDataURI; null: the address and port the request's connection came in on
 *                        (default). Never the Host header, which the client chooses.
 * @param sourceName      recorded as the calling AE of instances stored through STOW-RS (default DICOMWEB)
 */
public record WebConfig(String host, int port, String contextPath, Cors cors, boolean gzip, int qidoMaxResults,
                        String publicBaseUrl, String sourceName) {

    public static final WebConfig DEFAULT = new WebConfig("127.0.0.1", 8080, "/dicom-web", Cors.DEFAULT, true, 1000,
            null, "DICOMWEB");

    public WebConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(sourceName, "sourceName");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (contextPath == null || !contextPath.startsWith("/") || (contextPath.length() > 1 && contextPath.endsWith("/"))) {
            throw new IllegalArgumentException("contextPath must start with / and not end with one: " + contextPath);
        }
        if (qidoMaxResults < 1) {
            throw new IllegalArgumentException("qidoMaxResults must be >= 1");
        }
        if (publicBaseUrl != null && publicBaseUrl.endsWith("/")) {
            publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
        }
    }

    /** The defaults on a given interface and port (0 for a free port). */
    public static WebConfig on(String host, int port) {
        return DEFAULT.withAddress(host, port);
    }

    public WebConfig withAddress(String h, int p) {
        return new WebConfig(h, p, contextPath, cors, gzip, qidoMaxResults, publicBaseUrl, sourceName);
    }

    public WebConfig withCors(Cors c) {
        return new WebConfig(host, port, contextPath, c, gzip, qidoMaxResults, publicBaseUrl, sourceName);
    }

    public WebConfig withPublicBaseUrl(String url) {
        return new WebConfig(host, port, contextPath, cors, gzip, qidoMaxResults, url, sourceName);
    }

    public WebConfig withQidoMaxResults(int max) {
        return new WebConfig(host, port, contextPath, cors, gzip, max, publicBaseUrl, sourceName);
    }
}
