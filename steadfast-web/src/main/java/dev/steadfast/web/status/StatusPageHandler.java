package dev.steadfast.web.status;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The administrator's one-page status view at {@code /status} (issue 16): a static page whose script reads
 * {@code /health}, {@code /api/statistics} and, when they answer, the queues ({@code /api/forwarding},
 * {@code /api/hl7/destinations}, {@code /api/workflow}: depth, oldest age, dead letters) and {@code /api/cluster}.
 * The page itself holds no data, so it is served without authentication (like the viewer's files); every
 * number it shows comes from an endpoint that checks the caller's role as it always does.
 */
public final class StatusPageHandler extends Handler.Wrapper {
    public static final String PATH = "/status";
    private static final byte[] PAGE = load();

    public StatusPageHandler(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            return super.handle(request, response, callback);
        }
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.setStatus(405);
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            callback.succeeded();
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        // Only this origin's own script and styles (inline, in the page) run; no framing by other sites.
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'self'");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, PAGE.length);
        if (HttpMethod.HEAD.is(method)) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(PAGE), callback);
        }
        return true;
    }

    private static byte[] load() {
        try (InputStream in = StatusPageHandler.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html missing from the steadfast-web jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
