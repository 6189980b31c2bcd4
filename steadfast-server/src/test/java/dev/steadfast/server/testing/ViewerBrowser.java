package dev.steadfast.server.testing;

import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens a page of the served web viewer in Debian's headless Chromium (playwright-core, {@code src/test/viewer})
 * and answers what {@code open_study.mjs} saw: one JSON line with {@code shown}, console and page errors and
 * failed requests. Skips without node, the npm packages or chromium; fails under CI=true.
 */
public final class ViewerBrowser {
    private static final Path NODE_DIR = Path.of("src/test/viewer").toAbsolutePath();

    private final String node;

    public ViewerBrowser() {
        Path n = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "node")).filter(Files::isExecutable).findFirst().orElse(null);
        Corpus.requireOrSkip(n != null, "node (Node.js 18+) not on the PATH");
        Corpus.requireOrSkip(Files.isDirectory(NODE_DIR.resolve("node_modules/playwright-core")),
                "playwright-core not installed: npm ci --prefix steadfast-server/src/test/viewer");
        Corpus.requireOrSkip(Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"))),
                "chromium not installed (Debian package chromium)");
        this.node = n.toString();
    }

    /** Opens {@code url}, waits (up to 150 s) for the first image, saves the viewport's pixels to {@code screenshot}. */
    public String open(String url, Path screenshot) throws Exception {
        Peers.Result r = Peers.run(List.of(node, NODE_DIR.resolve("open_study.mjs").toString(), url, screenshot.toString(),
                "150000"), 240);
        String json = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        return json.isEmpty() ? r.output() : json;
    }

    /**
     * Visits every study of {@code studiesJson} ({@code [{study, image}]}) one after another in one browser page
     * ({@code open_studies.mjs}), writing {@code <n>.json} (and {@code <n>.png} when an image is shown) per study
     * into {@code out}; answers the script's output.
     */
    public String openAll(String baseUrl, Path studiesJson, Path out, int perStudyMillis, int totalSeconds) throws Exception {
        Peers.Result r = Peers.run(List.of(node, NODE_DIR.resolve("open_studies.mjs").toString(), baseUrl,
                studiesJson.toString(), out.toString(), String.valueOf(perStudyMillis)), totalSeconds);
        return r.output();
    }

    /** The status page and the viewer header's link to it, as {@code status_page.mjs} saw them (one JSON line). */
    public String statusPage(String baseUrl) throws Exception {
        Peers.Result r = Peers.run(List.of(node, NODE_DIR.resolve("status_page.mjs").toString(), baseUrl, "90000"), 180);
        String json = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        return json.isEmpty() ? r.output() : json;
    }
}
