package dev.steadfast.web.viewer;

import dev.steadfast.web.ViewerSignIn;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the OHIF Viewer's built files beside DICOMweb (issue 16). The build loads its scripts from the
 * root ({@code /app.bundle.*.js}, {@code /assets/...}: its public path is {@code /}), and its router lives
 * under {@code /viewer}: so {@code /viewer} and everything below it answer the app's {@code index.html}
 * (the app routes in the browser: study list, {@code /viewer/viewer?StudyInstanceUIDs=...}), a root path
 * answers the file of that name when the build has one, {@code /app-config.js} is written here to point
 * the viewer at this server's DICOMweb, and {@code /} goes to the study list. Anything else goes on to
 * the next handler, so DICOMweb, the API, {@code /health} and {@code /metrics} are never shadowed.
 * <p>
 * The build's files are 60 MB of JavaScript and WebAssembly that every new browser fetches before the first
 * image: content-hashed names are cached for a year, the others carry an ETag (a 304 when unchanged), and a
 * client that accepts gzip gets the build's gzip copy ({@code NAME.gz} beside the file, with the file's
 * modification time, as the build or {@code gzip -k} leaves it), a fifth of the bytes, for no CPU here.
 */
public final class ViewerHandler extends Handler.Wrapper {
    public static final String BASE = "/viewer";
    /** webpack's content-hashed names (app.bundle.0f6159c501addfe9.js): never change, cached for a year. */
    private static final Pattern HASHED = Pattern.compile(".*[./-][0-9a-f]{16,}\\.[a-z0-9]+$");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("wasm", "application/wasm"),
            Map.entry("png", "image/png"), Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/x-icon"),
            Map.entry("jpg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("xml", "application/xml"), Map.entry("webmanifest", "application/manifest+json"));

    private final Path dist;
    private final byte[] appConfig;

    /**
     * @param next        DICOMweb and the rest
     * @param dist        the viewer's {@code dist} folder (with {@code index.html})
     * @param dicomWebPath where DICOMweb is served (e.g. {@code /dicom-web})
     */
    public ViewerHandler(Handler next, Path dist, String dicomWebPath) {
        this(next, dist, dicomWebPath, null);
    }

    /** @param signIn how the viewer signs in when DICOMweb needs authentication, or null */
    public ViewerHandler(Handler next, Path dist, String dicomWebPath, ViewerSignIn signIn) {
        super(next);
        this.dist = dist.toAbsolutePath().normalize();
        this.appConfig = AppConfig.script(BASE, dicomWebPath, signIn).getBytes(StandardCharsets.UTF_8);
        if (!Files.isRegularFile(this.dist.resolve("index.html"))) {
            throw new IllegalArgumentException("no viewer build in " + this.dist + " (index.html missing)");
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return super.handle(request, response, callback);
        }
        String path = Request.getPathInContext(request);
        if (path.equals("/")) {
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, BASE + "/");
            callback.succeeded();
            return true;
        }
        if (path.equals("/app-config.js")) {
            return answer(request, response, callback, appConfig, "js", "no-cache");
        }
        if (path.equals(BASE) || path.startsWith(BASE + "/")) {
            return file(request, response, callback, dist.resolve("index.html"), "no-cache");
        }
        Path file = staticFile(path);
        if (file == null) {
            return super.handle(request, response, callback);
        }
        return file(request, response, callback, file, HASHED.matcher(path).matches()
                ? "public, max-age=31536000, immutable" : "no-cache");
    }

    /** The build's file for a root path, or null: no such file, a folder, or a path that leaves the build. */
    Path staticFile(String path) {
        if (path.contains("..") || path.contains("\\") || path.contains("/.") || path.endsWith(".map")) {
            return null;
        }
        Path p = dist.resolve(path.substring(1)).normalize();
        if (!p.startsWith(dist) || !Files.isRegularFile(p)) {
            return null;
        }
        return p;
    }

    private static boolean file(Request request, Response response, Callback callback, Path file, String cache)
            throws IOException {
        Path gzip = gzipCopy(file);
        boolean gzipped = gzip != null && acceptsGzip(request);
        Path sent = gzipped ? gzip : file;
        long modified = Files.getLastModifiedTime(file).toMillis();
        long size = Files.size(sent);
        // The representation's identity: which file, which version of it, plain or gzip (RFC 9110 8.8.3).
        String etag = "\"" + Long.toHexString(modified) + "-" + Long.toHexString(Files.size(file)) + (gzipped ? "-gz\"" : "\"");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.getHeaders().put(HttpHeader.ETAG, etag);
        if (gzip != null) {
            response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
        }
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(extension(file), "application/octet-stream"));
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (gzipped) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        // Requests run on virtual threads: blocking on the file and the socket is the intended model.
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            Files.copy(sent, out);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
        return true;
    }

    /** The file's gzip copy, or null: none, or one left from another version of the file (another time). */
    static Path gzipCopy(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        return Files.isRegularFile(gz) && Files.getLastModifiedTime(gz).equals(Files.getLastModifiedTime(file)) ? gz : null;
    }

    /** Whether Accept-Encoding allows gzip: named without {@code q=0}, or else {@code *} without it (RFC 9110 12.5.3). */
    static boolean acceptsGzip(Request request) {
        Boolean gzip = null;
        Boolean any = null;
        for (String value : request.getHeaders().getValuesList(HttpHeader.ACCEPT_ENCODING)) {
            for (String coding : value.split(",")) {
                String[] parts = coding.trim().split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                boolean allowed = true;
                for (int i = 1; i < parts.length; i++) {
                    allowed &= !parts[i].replace(" ", "").toLowerCase(Locale.ROOT).matches("q=0(\\.0*)?");
                }
                if (name.equals("gzip") || name.equals("x-gzip")) {
                    gzip = allowed;
                } else if (name.equals("*")) {
                    any = allowed;
                }
            }
        }
        return gzip != null ? gzip : any != null && any;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean answer(Request request, Response response, Callback callback, byte[] body, String ext,
                                  String cache) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(ext));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
        }
        return true;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
