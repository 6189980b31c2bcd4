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
 */
public final class ViewerHandler extends Handler.Wrapper {
    public static final String BASE = "/viewer";
    /** webpack's content-hashed names (app.bundle.0f6159c501addfe9.js): never change, cached for a year. */
    private static final Pattern HASHED = Pattern.compile(".*[.-][0-9a-f]{16,}\\.[a-z0-9]+$");
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
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(extension(file), "application/octet-stream"));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(file));
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        // Requests run on virtual threads: blocking on the file and the socket is the intended model.
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            Files.copy(file, out);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
        return true;
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
