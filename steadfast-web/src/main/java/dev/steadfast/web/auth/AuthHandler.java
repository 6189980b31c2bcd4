package dev.steadfast.web.auth;

import dev.steadfast.web.http.Cors;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.RefusedUpload;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of every HTTP handler: finds what the request needs ({@link AccessRules}), checks the
 * {@code Authorization} header with the matching {@link Authenticator}, and answers 401 (no or bad
 * credentials, with a {@code WWW-Authenticate} challenge per configured scheme), 403 (valid
 * credentials without the role) or 503 (the identity provider cannot be reached) before any
 * service runs. The caller is left on the request as {@link #PRINCIPAL} for the audit trail.
 * Refusals carry the DICOMweb CORS headers, so a browser viewer can read why it was refused.
 */
public final class AuthHandler extends Handler.Wrapper {
    /** Request attribute holding the authenticated {@link Principal}. */
    public static final String PRINCIPAL = "steadfast.principal";
    private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);

    private final HttpAuth auth;
    private final AccessRules rules;
    private final String dicomWebPath;
    private final Cors cors;
    private final RefusedUpload refusals;

    public AuthHandler(Handler next, HttpAuth auth, String dicomWebPath, Cors cors) {
        this(next, auth, dicomWebPath, cors, new RefusedUpload());
    }

    /** With the server's {@link RefusedUpload} (its bound on refused uploads drained at once is shared with the routes'). */
    public AuthHandler(Handler next, HttpAuth auth, String dicomWebPath, Cors cors, RefusedUpload refusals) {
        super(next);
        this.refusals = refusals;
        this.auth = auth;
        this.rules = new AccessRules(dicomWebPath);
        this.dicomWebPath = dicomWebPath;
        this.cors = cors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!auth.required()) {
            return super.handle(request, response, callback);
        }
        // The decoded, normalised path: the one the handlers behind us route by, so "/%61pi" is "/api" here too.
        String path = request.getHttpURI().getDecodedPath();
        AccessRules.Need need = rules.need(request.getMethod(), path == null ? "" : path);
        if (need.open()) {
            return super.handle(request, response, callback);
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return refuse(request, response, callback, 401, "authentication required", null, null);
        }
        int space = header.indexOf(' ');
        Authenticator a = space > 0 ? auth.forScheme(header.substring(0, space), header.substring(space + 1)) : null;
        if (a == null) {
            return refuse(request, response, callback, 401, "unsupported authentication scheme", "unsupported scheme", null);
        }
        Principal p;
        try {
            p = a.authenticate(header.substring(space + 1));
        } catch (AuthenticationException e) {
            if (e.unavailable()) {
                LOG.warn("HTTP authentication unavailable: {}", e.getMessage());
                return refuse(request, response, callback, 503, "authentication unavailable: " + e.getMessage(), null, null);
            }
            LOG.debug("HTTP {} credentials refused from {}: {}", a.scheme(), Request.getRemoteAddr(request), e.getMessage());
            auth.audit().authentication(new dev.steadfast.archive.audit.AuditEvents.Actor("unknown",
                    Request.getRemoteAddr(request)), false, a.scheme() + " credentials refused: " + e.getMessage());
            return refuse(request, response, callback, 401, "credentials refused: " + e.getMessage(), e.getMessage(), a);
        }
        if (need.role() != null && !p.has(need.role())) {
            auth.audit().refused(new dev.steadfast.archive.audit.AuditEvents.Actor(p.name(), Request.getRemoteAddr(request)),
                    false, request.getMethod() + " " + path + " refused: the " + need.role().claimName() + " role is required",
                    java.util.Map.of());
            return refuse(request, response, callback, 403, "the " + need.role().claimName() + " role is required", null, a);
        }
        auth.audit().authentication(new dev.steadfast.archive.audit.AuditEvents.Actor(p.name(), Request.getRemoteAddr(request)),
                true, a.scheme() + " credentials accepted");
        request.setAttribute(PRINCIPAL, p);
        request.setAttribute(Exchange.USER_ATTRIBUTE, p.name());
        return super.handle(request, response, callback);
    }

    /**
     * @param error  why the credentials were refused (for the challenge), null when none were sent
     * @param scheme the authenticator that refused (its challenge alone), or null for all challenges
     */
    private boolean refuse(Request request, Response response, Callback callback, int status, String message,
                           String error, Authenticator scheme) {
        response.setStatus(status);
        var headers = response.getHeaders();
        if (status == 401 || status == 403) {
            java.util.Set<String> challenges = new java.util.LinkedHashSet<>(); // OIDC and API tokens share Bearer's
            for (Authenticator a : auth.authenticators()) {
                if (scheme == null || a == scheme) {
                    challenges.add(a.challenge(error, status == 403));
                }
            }
            challenges.forEach(c -> headers.add(HttpHeader.WWW_AUTHENTICATE, c));
        }
        String path = request.getHttpURI().getDecodedPath();
        if (path != null && path.equals(dicomWebPath) || path != null && path.startsWith(dicomWebPath + "/")) {
            cors.decorate(request.getHeaders().get(HttpHeader.ORIGIN), request.getMethod(), headers::add);
        }
        String safe = OidcBearer.quotable(message);
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.add("Warning", "299 steadfast: \"" + safe + "\"");
        String body = "{\"status\":" + status + ",\"message\":\"" + safe + "\"}";
        // The one way a refusal is answered, body or not (RefusedUpload says why in this order).
        try {
            refusals.answer(request, response, () -> {
                try (Blocker.Callback written = Blocker.callback()) {
                    Content.Sink.write(response, true, body, written);
                    written.block();
                }
            });
            callback.succeeded();
        } catch (Throwable t) {
            callback.failed(t);
        }
        return true;
    }
}
