package dev.steadfast.server.config;

/**
 * The HTTP listener (DICOMweb, health, metrics). Loopback by default: there is no user
 * authentication yet.
 *
 * @param enabled false runs DIMSE only
 */
public record HttpConfig(boolean enabled, String bind, int port) {
    public HttpConfig {
        ConfigException.check(bind != null && !bind.isBlank(), "http.bind", "is required");
        ConfigException.check(port >= 0 && port < 65536, "http.port", "must be 0..65535: " + port);
    }
}
