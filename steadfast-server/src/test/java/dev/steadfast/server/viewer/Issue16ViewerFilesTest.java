package dev.steadfast.server.viewer;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer's files as a browser gets them from serve (issue 16, first image sooner): 60 MB of JavaScript and
 * WebAssembly come gzip-compressed to a browser that accepts it (the build's gzip copies, so the bytes it
 * unpacks are the file's), content-hashed names (scripts, WebAssembly, fonts) are cached for a year, and the
 * others are revalidated with an ETag, a 304 when unchanged.
 */
class Issue16ViewerFilesTest {
    private static final Path DIST = Path.of("target/viewer/package/dist");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void viewerFilesComeCompressedAndCached() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            String index = new String(get(base + "/viewer/", Map.of()).body(), StandardCharsets.UTF_8);
            String bundle = index.replaceAll("(?s).*src=\"(/app\\.bundle\\.[0-9a-f]+\\.js)\".*", "$1");
            byte[] onDisk = Files.readAllBytes(DIST.resolve(bundle.substring(1)));

            // The app's 17 MB bundle: gzip to a browser that accepts it, and it unpacks to the very file.
            HttpResponse<byte[]> gz = get(base + bundle, Map.of("Accept-Encoding", "gzip, deflate, br"));
            assertThat(gz.statusCode()).isEqualTo(200);
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gz.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(gz.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
            assertThat(gz.headers().firstValue("Cache-Control").orElse("")).contains("immutable", "max-age=31536000");
            assertThat(gz.body().length).isLessThan(onDisk.length / 3);
            assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes()).isEqualTo(onDisk);

            // A client that does not accept gzip (or refuses it with q=0) gets the file as it is.
            for (Map<String, String> plain : List.of(Map.<String, String>of(), Map.of("Accept-Encoding", "gzip;q=0, identity"))) {
                HttpResponse<byte[]> r = get(base + bundle, plain);
                assertThat(r.headers().firstValue("Content-Encoding")).as(plain.toString()).isEmpty();
                assertThat(r.body()).as(plain.toString()).isEqualTo(onDisk);
            }

            // Every hashed name the page loads (WebAssembly codecs, fonts and chunks named by their hash alone
            // too) is cached for a year; a file of a fixed name is revalidated, and unchanged it costs a 304.
            String wasm = firstFile(".wasm");
            String font = firstFile(".woff2");
            for (String hashed : List.of(wasm, font)) {
                HttpResponse<byte[]> r = get(base + "/" + hashed, Map.of("Accept-Encoding", "gzip"));
                assertThat(r.statusCode()).as(hashed).isEqualTo(200);
                assertThat(r.headers().firstValue("Cache-Control").orElse("")).as(hashed).contains("immutable");
            }
            HttpResponse<byte[]> page = get(base + "/viewer/", Map.of("Accept-Encoding", "gzip"));
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            String etag = page.headers().firstValue("ETag").orElseThrow();
            HttpResponse<byte[]> again = get(base + "/viewer/viewer?StudyInstanceUIDs=1.2.3",
                    Map.of("Accept-Encoding", "gzip", "If-None-Match", etag));
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            // The other representation (not gzip) has its own ETag: no 304 for a tag of the gzip one.
            assertThat(get(base + "/viewer/", Map.of("If-None-Match", etag)).statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<byte[]> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A root file of the build named by its content hash alone ({@code 0ddf166f7a343eda.wasm}). */
    private static String firstFile(String suffix) throws Exception {
        try (var files = Files.list(DIST)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .filter(n -> n.matches("[0-9a-f]{16,}\\..*")).sorted().findFirst().orElseThrow();
        }
    }
}
