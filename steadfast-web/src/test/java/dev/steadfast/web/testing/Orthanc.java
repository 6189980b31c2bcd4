package dev.steadfast.web.testing;

import dev.steadfast.testing.Corpus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An Orthanc with its DICOMweb plugin, in a temp dir, knowing our server as DICOMweb server
 * "steadfast". Orthanc 1.10 cannot bind one interface: its DICOM port is off and its HTTP port
 * refuses non-loopback clients (RemoteAccessAllowed false).
 */
public final class Orthanc implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    public static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");


    private final Path dir;
    private final Process process;
    public final URI base;

    public Orthanc(URI dicomWebServer) throws Exception {
        Corpus.requireOrSkip(Files.isExecutable(BINARY) && Files.isRegularFile(PLUGIN),
                "Orthanc and its DICOMweb plugin are not installed (apt-get install orthanc orthanc-dicomweb)");
        dir = Files.createTempDirectory("steadfast-orthanc");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String config = """
                {
                  "Name": "steadfast-interop",
                  "StorageDirectory": "%1$s/storage",
                  "IndexDirectory": "%1$s/index",
                  "HttpPort": %2$d,
                  "DicomServerEnabled": false,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "HttpTimeout": 60,
                  "Plugins": ["%3$s"],
                  "DicomWeb": {
                    "Enable": true,
                    "Root": "/dicom-web/",
                    "Servers": { "steadfast": ["%4$s/"] }
                  }
                }
                """.formatted(dir, port, PLUGIN, dicomWebServer);
        Files.writeString(dir.resolve("orthanc.json"), config);
        process = new ProcessBuilder(BINARY.toString(), dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        base = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (get("/system").statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                String log = Files.readString(dir.resolve("orthanc.log"));
                close();
                throw new AssertionError("Orthanc did not start: " + log);
            }
            Thread.sleep(100);
        }
    }

    /** A new client (so a new connection) per request: Orthanc's server drops idle keep-alive connections. */
    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client().send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return client().send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public int delete(String path) throws IOException, InterruptedException {
        return client().send(HttpRequest.newBuilder(base.resolve(path)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("orthanc.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
