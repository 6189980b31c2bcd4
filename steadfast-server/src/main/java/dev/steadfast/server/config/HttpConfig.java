package dev.steadfast.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HTTP listener (DICOMweb, admin API, health, metrics). Loopback by default; anywhere else
 * it needs authentication configured ({@link HttpSecurityConfig}), or serve refuses to start.
 *
 * @param enabled          false runs DIMSE only
 * @param apiDeleteEnabled whether the admin API may delete studies ({@code api.delete-enabled}, off by default)
 * @param security         authentication, CORS and the public base URL
 * @param viewerDir        the web viewer's build served at /viewer/ ({@code viewer.dir}), or null for none
 * @param viewerClientId   the OIDC client the viewer signs in as ({@code viewer.oidc-client-id}), or null
 * @param viewerScope      the scopes it asks for
 * @param maxConnections   connections open at once at most ({@code http.max-connections}); 0: a quarter of the
 *                         process's open-file limit, so idle HTTP clients cannot take the files DICOM and storage need
 */
public record HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled, HttpSecurityConfig security,
                         java.nio.file.Path viewerDir, String viewerClientId, String viewerScope, int maxConnections) {
    public HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled, HttpSecurityConfig security,
                      java.nio.file.Path viewerDir, String viewerClientId, String viewerScope) {
        this(enabled, bind, port, apiDeleteEnabled, security, viewerDir, viewerClientId, viewerScope, 0);
    }

    public HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled, HttpSecurityConfig security,
                      java.nio.file.Path viewerDir) {
        this(enabled, bind, port, apiDeleteEnabled, security, viewerDir, null, "openid");
    }

    public HttpConfig(boolean enabled, String bind, int port) {
        this(enabled, bind, port, false, HttpSecurityConfig.NONE, null, null, "openid");
    }

    public HttpConfig(boolean enabled, String bind, int port, boolean apiDeleteEnabled, HttpSecurityConfig security) {
        this(enabled, bind, port, apiDeleteEnabled, security, null, null, "openid");
    }

    public HttpConfig {
        ConfigException.check(bind != null && !bind.isBlank(), "http.bind", "is required");
        ConfigException.check(maxConnections >= 0, "http.max-connections", "must be 0 (derived) or more: " + maxConnections);
        ConfigException.check(port >= 0 && port < 65536, "http.port", "must be 0..65535: " + port);
        if (viewerScope == null || viewerScope.isBlank()) {
            viewerScope = "openid";
        }
        ConfigException.check(viewerClientId == null || security == null || security.oidc() != null, "viewer.oidc-client-id",
                "needs http.auth.oidc.issuer: the viewer signs in at that identity provider");
        if (security == null) {
            security = HttpSecurityConfig.NONE;
        }
        if (enabled && !security.authenticationConfigured() && !loopback(bind)) {
            throw new ConfigException("http.bind", bind + " listens beyond loopback, and HTTP there needs authentication:"
                    + " set http.auth.oidc.issuer and http.auth.oidc.audience (an OIDC identity provider) or http.auth.users-file"
                    + " (users added with 'steadfast user add'), or bind HTTP to 127.0.0.1 (see docs/SECURITY.md)");
        }
    }

    /** Whether every address {@code bind} names is a loopback one (an unresolvable name is not). */
    static boolean loopback(String bind) {
        try {
            for (InetAddress a : InetAddress.getAllByName(bind.strip())) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
