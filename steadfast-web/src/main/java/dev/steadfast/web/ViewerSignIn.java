package dev.steadfast.web;

import java.util.Objects;

/**
 * How the served viewer signs its user in when HTTP needs authentication: OIDC authorization code with PKCE
 * at {@code authority} as the public client {@code clientId}; the access token it gets is sent with every
 * DICOMweb request, where the archive checks it like any bearer token.
 */
public record ViewerSignIn(String authority, String clientId, String scope) {
    public ViewerSignIn {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(clientId, "clientId");
        scope = scope == null || scope.isBlank() ? "openid" : scope;
    }
}
