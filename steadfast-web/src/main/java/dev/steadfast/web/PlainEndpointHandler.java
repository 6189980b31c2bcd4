package dev.steadfast.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers the {@link PlainEndpoint}s by exact path; everything else goes on to the DICOMweb routes. */
final class PlainEndpointHandler extends Handler.Wrapper {
    private final Map<String, PlainEndpoint> endpoints = new HashMap<>();

    PlainEndpointHandler(Handler next, List<PlainEndpoint> endpoints) {
        super(next);
        endpoints.forEach(e -> this.endpoints.put(e.path(), e));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        PlainEndpoint e = endpoints.get(Request.getPathInContext(request));
        if (e == null) {
            return super.handle(request, response, callback);
        }
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.setStatus(405);
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            callback.succeeded();
            return true;
        }
        PlainEndpoint.Answer a = e.answer().get();
        response.setStatus(a.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpMethod.HEAD.is(method)) {
            callback.succeeded();
        } else {
            Content.Sink.write(response, true, a.body(), callback);
        }
        return true;
    }
}
