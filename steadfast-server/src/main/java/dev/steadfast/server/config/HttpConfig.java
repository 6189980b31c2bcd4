package dev.steadfast.server.config;

/**
 * The HTTP listener (DICOMweb, admin API, health, metrics). Loopback by default: there is no user
 * authentication yet.
 *
 * @param enabled          false runs DIMSE only
 * @param apiDeleteEnabled whether the admin API may delete studies ({@code api.delete-enabled}, off by default)
 * @param viewerDir        the web viewer's build served at /viewer/ ({@code viewer.dir}), or null for none
 */
public record HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled, java.nio.file.Path viewerDir) {
    public HttpConfig(boolean enabled, String bind, int port) {
        this(enabled, bind, port, false, null);
    }

    public HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled) {
        this(enabled, bind, port, apiDeleteEnabled, null);
    }

    public HttpConfig {
        ConfigException.check(bind != null && !bind.isBlank(), "http.bind", "is required");
        ConfigException.check(port >= 0 && port < 65536, "http.port", "must be 0..65535: " + port);
    }
}
