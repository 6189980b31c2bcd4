package dev.steadfast.web.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One request and its response, as the DICOMweb services see them: path and query parameters,
 * negotiated media types, the body as a stream, and a response stream opened once headers are
 * set. Services never see Jetty types.
 */
public final class Exchange {
    private static final int OUT_BUFFER = 64 * 1024;

    private final Request request;
    private final Response response;
    private final Map<String, String> pathParams;
    private final String baseUrl;
    private final boolean gzipAllowed;
    private Fields query;
    private OutputStream out;

    Exchange(Request request, Response response, Map<String, String> pathParams, String baseUrl, boolean gzipAllowed) {
        this.request = request;
        this.response = response;
        this.pathParams = pathParams;
        this.baseUrl = baseUrl;
        this.gzipAllowed = gzipAllowed;
    }

    public String method() { return request.getMethod(); }

    /** The URL of the service root, e.g. {@code http://host:8080/dicom-web}, for RetrieveURL and BulkDataURI. */
    public String baseUrl() { return baseUrl; }

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    public String pathParamOrNull(String name) { return pathParams.get(name); }

    /** Query parameters in the order given; each name may repeat. */
    public List<Map.Entry<String, String>> queryParams() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Fields.Field f : query()) {
            for (String v : f.getValues()) {
                out.add(Map.entry(f.getName(), v));
            }
        }
        return out;
    }

    public String queryParam(String name) {
        Fields.Field f = query().get(name);
        return f == null ? null : f.getValue();
    }

    private Fields query() {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw HttpError.badRequest("malformed query string");
            }
        }
        return query;
    }

    public String header(String name) { return request.getHeaders().get(name); }

    /** The client's address as the connection shows it (a proxy's, behind one). */
    public String remoteAddress() { return Request.getRemoteAddr(request); }

    /** The request's path as sent (for the audit trail). */
    public String path() { return request.getHttpURI().getPath(); }

    public List<String> headers(String name) { return request.getHeaders().getValuesList(name); }

    /** Request attribute with the authenticated user's name (set by the authentication in front of the routes). */
    public static final String USER_ATTRIBUTE = "steadfast.user";

    /** The authenticated user or token subject, or null when HTTP authentication is off (loopback). */
    public String user() { return request.getAttribute(USER_ATTRIBUTE) instanceof String s ? s : null; }

    /** The Accept ranges, best first; empty when the client accepts anything. */
    public List<MediaType> accept() { return MediaType.parseAccept(headers("Accept")); }

    public MediaType contentType() { return MediaType.parse(header("Content-Type")); }

    /** The request body, streamed as it arrives (never buffered whole). */
    public InputStream body() { return Content.Source.asInputStream(request); }

    public void status(int status) { response.setStatus(status); }

    public void setHeader(String name, String value) { response.getHeaders().put(name, value); }

    public void addHeader(String name, String value) { response.getHeaders().add(name, value); }

    /** A PS3.18 Warning header (code 299, the service's own text). */
    public void warning(String text) {
        addHeader("Warning", "299 steadfast: \"" + text.replace('"', '\'') + "\"");
    }

    public boolean committed() { return response.isCommitted(); }

    /**
     * Sets the content type and returns the body stream, compressed with gzip when the content
     * is compressible text and the client asked for it.
     */
    public OutputStream open(String contentType, boolean compressible) throws IOException {
        if (out != null) {
            throw new IllegalStateException("response already opened");
        }
        setHeader("Content-Type", contentType);
        OutputStream raw = Content.Sink.asOutputStream(response);
        if (compressible && gzipAllowed && acceptsGzip()) {
            setHeader("Content-Encoding", "gzip");
            addHeader("Vary", "Accept-Encoding");
            out = new GZIPOutputStream(raw, OUT_BUFFER);
        } else {
            out = new BufferedOutputStream(raw, OUT_BUFFER);
        }
        return out;
    }

    /**
     * Writes {@code bytes} to the opened body after what the body stream holds, handing the buffer
     * to Jetty as it is (a direct buffer goes to the socket without a copy through the heap); returns
     * once it has been written, so the caller may reuse it. Through the stream if the body is gzipped.
     */
    public void write(ByteBuffer bytes) throws IOException {
        if (out == null) {
            throw new IllegalStateException("response not opened");
        }
        if (out instanceof GZIPOutputStream) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            out.write(copy);
            return;
        }
        out.flush();
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(false, bytes, done);
            done.block();
        }
    }

    /**
     * 304 Not Modified: no body and no Content-Type or Content-Length (RFC 9110 15.4.5), since a
     * cache updates its stored response from the headers of a 304.
     */
    public void notModified() {
        if (out != null) {
            throw new IllegalStateException("response already opened");
        }
        status(304);
        out = Content.Sink.asOutputStream(response);
    }

    /** An empty response with this status. */
    public void empty(int status) throws IOException {
        status(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        open("text/plain", false);
    }

    private boolean acceptsGzip() {
        for (String h : headers("Accept-Encoding")) {
            for (String item : h.split(",")) {
                String coding = item.split(";")[0].strip().toLowerCase(Locale.ROOT);
                if (coding.equals("gzip") && !item.replace(" ", "").contains("q=0") ) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Finishes the body; idempotent. */
    void finish() throws IOException {
        if (out == null) {
            empty(response.getStatus() == 0 ? 200 : response.getStatus());
        }
        out.close();
    }

    /** Forgets a body opened but not yet sent, so an error can replace it. */
    void discardBody() { out = null; }

    /** The request, for answering a refusal ({@link RefusedUpload}). */
    Request request() {
        return request;
    }
}
