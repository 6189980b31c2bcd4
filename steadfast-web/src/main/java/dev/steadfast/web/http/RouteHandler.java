package dev.steadfast.web.http;

import dev.steadfast.dicom.json.JsonOut;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dispatches requests under the context path to the route table, adds CORS headers, and turns
 * exceptions into JSON error bodies with a Warning header. Runs each request on a virtual
 * thread (the server's executor), so services block on streams freely.
 */
public final class RouteHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(RouteHandler.class);

    private final String contextPath;
    private final List<Route> routes;
    private final Cors cors;
    private final boolean gzip;
    private final String publicBaseUrl;
    private final RequestObserver observer;
    private final RefusedUpload refusals;

    public RouteHandler(String contextPath, List<Route> routes, Cors cors, boolean gzip, String publicBaseUrl) {
        this(contextPath, routes, cors, gzip, publicBaseUrl, RequestObserver.NONE);
    }

    public RouteHandler(String contextPath, List<Route> routes, Cors cors, boolean gzip, String publicBaseUrl,
                        RequestObserver observer) {
        this(contextPath, routes, cors, gzip, publicBaseUrl, observer, new RefusedUpload());
    }

    /** With the server's {@link RefusedUpload}, which answers every refusal. */
    public RouteHandler(String contextPath, List<Route> routes, Cors cors, boolean gzip, String publicBaseUrl,
                        RequestObserver observer, RefusedUpload refusals) {
        this.refusals = refusals;
        this.contextPath = contextPath;
        this.routes = List.copyOf(routes);
        this.cors = cors;
        this.gzip = gzip;
        this.publicBaseUrl = publicBaseUrl;
        this.observer = observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        if (path == null || !path.startsWith(contextPath)) {
            return false;
        }
        String sub = path.substring(contextPath.length());
        if (sub.length() > 1 && sub.endsWith("/")) {
            sub = sub.substring(0, sub.length() - 1);
        }
        long start = System.nanoTime();
        String method = request.getMethod();
        String origin = request.getHeaders().get("Origin");
        Exchange x = null;
        Route route = null;
        try {
            Map<String, String> params = null;
            Set<String> allowed = new TreeSet<>();
            for (Route r : routes) {
                Map<String, String> p = r.match(sub);
                if (p != null) {
                    allowed.add(r.method());
                    if (route == null && (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET")))) {
                        route = r;
                        params = p;
                    }
                }
            }
            x = new Exchange(request, response, params == null ? Map.of() : params, baseUrl(request), gzip);
            if (method.equals("OPTIONS") && !allowed.isEmpty()) {
                preflight(x, origin, allowed);
                x.finish();
                observe(null, response.getStatus(), start);
                callback.succeeded();
                return true;
            }
            cors.decorate(origin, method, x::addHeader);
            if (route == null) {
                throw allowed.isEmpty() ? HttpError.notFound("no DICOMweb resource at " + sub)
                        : new HttpError(405, method + " is not allowed here; allowed: " + String.join(", ", allowed));
            }
            route.service().handle(x);
            x.finish();
            // Read before completing: once the callback succeeds Jetty may recycle the response.
            observe(route, response.getStatus(), start);
            callback.succeeded();
        } catch (Throwable t) {
            observe(route, t instanceof HttpError e ? e.status() : 500, start);
            fail(x, response, callback, t);
        }
        return true;
    }

    private void observe(Route route, int status, long start) {
        try {
            observer.observe(RequestObserver.kindOf(route), status == 0 ? 200 : status, System.nanoTime() - start);
        } catch (RuntimeException e) {
            log.warn("request metrics failed: {}", e.toString()); // never fail a request over its metrics
        }
    }

    private void preflight(Exchange x, String origin, Set<String> allowed) {
        x.status(204);
        x.setHeader("Allow", String.join(", ", allowed) + ", OPTIONS");
        if (cors.enabled()) {
            x.addHeader("Vary", "Origin");
        }
        String requested = x.header("Access-Control-Request-Method");
        if (requested != null && cors.allows(origin, requested)) {
            // Our own fixed list, not an echo of what was asked: the browser checks it covers its request.
            x.setHeader("Access-Control-Allow-Origin", origin);
            x.setHeader("Access-Control-Allow-Methods", String.join(", ", new TreeSet<>(cors.methods())));
            x.setHeader("Access-Control-Allow-Headers", Cors.ALLOWED_HEADERS);
            x.setHeader("Access-Control-Max-Age", Integer.toString(cors.maxAgeSeconds()));
        }
    }

    /**
     * The service root in RetrieveURL, BulkDataURI and Content-Location: the configured public URL,
     * else the address and port of the socket the request came in on. Never the Host header: a
     * client could make us hand other clients links to a host of its choosing.
     */
    private String baseUrl(Request request) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        String host = Request.getLocalAddr(request);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (request.isSecure() ? "https" : "http") + "://" + host + ":" + Request.getLocalPort(request) + contextPath;
    }

    private void fail(Exchange x, Response response, Callback callback, Throwable t) {
        int status = t instanceof HttpError e ? e.status() : 500;
        String message = t instanceof HttpError ? t.getMessage() : "internal error: " + t.getClass().getSimpleName();
        if (status == 503 || status == 504) {
            // A dependency is down (503, said once by its own health record) or a peer site did not
            // answer in time (504): expected answers, one line each, no stack per request.
            log.warn("DICOMweb request refused: {} {}", status, message);
        } else if (status >= 500) {
            log.error("DICOMweb request failed", t);
        } else {
            log.debug("DICOMweb request refused: {} {}", status, message);
        }
        if (response.isCommitted()) {
            // Part of a streamed body is out: aborting is the only honest signal left.
            callback.failed(t);
            return;
        }
        try {
            response.reset();
            Exchange ex = x;
            if (ex == null) {
                callback.failed(t);
                return;
            }
            ex.discardBody();
            // The one way a refusal is answered, whatever the service read of the body (RefusedUpload says why in this order).
            refusals.answer(ex.request(), response, () -> {
                ex.status(status);
                ex.warning(message);
                cors.decorate(ex.header("Origin"), ex.method(), ex::addHeader);
                if (status == 405) {
                    ex.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
                }
                String body = "{\"status\":" + status + ",\"message\":" + JsonOut.quote(message) + "}";
                try (OutputStream out = ex.open("application/json", false)) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            });
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
