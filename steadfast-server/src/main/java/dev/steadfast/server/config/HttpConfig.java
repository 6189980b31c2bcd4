package dev.steadfast.server.config;

/**
 * The HTTP listener (DICOMweb, admin API, health, metrics). Loopback by default: there is no user
 * authentication yet.
 *
 * @param enabled          false runs DIMSE only
 * @param apiDeleteEnabled whether the admin API may delete studies ({@code api.delete-enabled}, off by default)
 */
public record HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled) {
    public HttpConfig(boolean enabled, String bind, int port) {
        this(enabled, bind, port, false);
    }

    public HttpConfig {
        ConfigException.check(bind != null && !bind.isBlank(), "http.bind", "is required");
        ConfigException.check(port >= 0 && port < 65536, "http.port", "must be 0..65535: " + port);
    }
}
