package dev.steadfast.web.auth;

import java.util.List;

/**
 * How HTTP callers prove who they are: by one or more {@link Authenticator}s (OIDC bearer tokens,
 * the built-in users), or not at all ({@link #NONE}), which serve allows on loopback only.
 */
public record HttpAuth(List<Authenticator> authenticators, dev.steadfast.archive.audit.AccessAudit audit) {
    /** No authentication: every request is served (loopback only; ServeConfig refuses it elsewhere). */
    public static final HttpAuth NONE = new HttpAuth(List.of());

    public HttpAuth(List<Authenticator> authenticators) {
        this(authenticators, dev.steadfast.archive.audit.AccessAudit.NONE);
    }

    public HttpAuth {
        authenticators = List.copyOf(authenticators);
        audit = audit == null ? dev.steadfast.archive.audit.AccessAudit.NONE : audit;
    }

    /** The same authenticators, reporting refused credentials to {@code a} (the audit trail). */
    public HttpAuth audited(dev.steadfast.archive.audit.AccessAudit a) {
        return new HttpAuth(authenticators, a);
    }

    public boolean required() {
        return !authenticators.isEmpty();
    }

    /** The authenticator for the scheme (case-insensitive) and credentials of an {@code Authorization} header, or null. */
    Authenticator forScheme(String scheme, String credentials) {
        for (Authenticator a : authenticators) {
            if (a.scheme().equalsIgnoreCase(scheme) && a.accepts(credentials)) {
                return a;
            }
        }
        return null;
    }
}
