package dev.steadfast.bench.web;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.web.DicomWebServer;
import dev.steadfast.web.WebConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The two DICOMweb servers the web benchmarks compare, started side by side in a temporary folder: Steadfast's
 * DICOMweb (the web module's services in process, SQLite index, file storage) and Orthanc with its DICOMweb
 * plugin in its default configuration; closing stops both and deletes the folder. Shared by
 * {@link DicomWebVsOrthanc} and {@link SeriesMetadataBench}.
 */
final class SideBySide implements AutoCloseable {
    private static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");
    private static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");

    private final Path work;
    private Index index;
    private DicomWebServer ours;
    private Process orthanc;
    private List<DicomWebVsOrthanc.Target> targets = List.of();

    private SideBySide(Path work) {
        this.work = work;
    }

    /** Both servers up, empty; on a failure whatever was started is stopped again. */
    static SideBySide start(String prefix) throws Exception {
        SideBySide s = new SideBySide(Files.createTempDirectory(prefix));
        try {
            Files.createDirectories(s.work.resolve("ours"));
            s.index = Index.open(IndexConfig.sqlite(s.work.resolve("ours/index.db")));
            FileSystemStorage storage = new FileSystemStorage(s.work.resolve("ours/storage"));
            s.ours = new DicomWebServer(WebConfig.on("127.0.0.1", 0), new ArchiveServices(
                    new IngestService(storage, s.index, IngestConfig.DEFAULT), new QueryEngine(s.index, QueryConfig.DEFAULT),
                    new RetrieveEngine(s.index, storage))).start();
            int orthancPort = freePort();
            s.orthanc = startOrthanc(s.work.resolve("orthanc"), orthancPort);
            s.targets = List.of(new DicomWebVsOrthanc.Target("steadfast", s.ours.baseUri(), client()),
                    new DicomWebVsOrthanc.Target("orthanc", URI.create("http://127.0.0.1:" + orthancPort + "/dicom-web"), client()));
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    /** Steadfast first, then Orthanc. */
    List<DicomWebVsOrthanc.Target> targets() {
        return targets;
    }

    /** Stores {@code instances} copies of the synthetic series in both through STOW-RS, {@code batch} per request; the bytes sent to each. */
    long storeInBoth(DicomWebVsOrthanc.Synthetic series, int instances, int batch) throws IOException, InterruptedException {
        long bytes = 0;
        for (int i = 0; i < instances; i += batch) {
            List<byte[]> files = new ArrayList<>();
            for (int j = i; j < Math.min(instances, i + batch); j++) {
                files.add(series.instance(j + 1));
            }
            bytes += files.stream().mapToLong(b -> b.length).sum();
            for (DicomWebVsOrthanc.Target t : targets) {
                int status = t.stow(files);
                if (status != 200) {
                    throw new IllegalStateException(t.name() + " STOW of the synthetic series: HTTP " + status);
                }
            }
        }
        return bytes;
    }

    @Override
    public void close() throws Exception {
        try {
            if (orthanc != null) {
                orthanc.destroy();
                if (!orthanc.waitFor(10, TimeUnit.SECONDS)) {
                    orthanc.destroyForcibly();
                }
            }
            if (ours != null) {
                ours.stop();
            }
            if (index != null) {
                index.close();
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process startOrthanc(Path dir, int port) throws Exception {
        if (!Files.isExecutable(ORTHANC) || !Files.isRegularFile(PLUGIN)) {
            throw new IllegalStateException("needs Orthanc and its DICOMweb plugin (apt-get install orthanc orthanc-dicomweb)");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("orthanc.json"), """
                {
                  "Name": "steadfast-bench",
                  "StorageDirectory": "%1$s/storage",
                  "IndexDirectory": "%1$s/index",
                  "HttpPort": %2$d,
                  "DicomServerEnabled": false,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "Plugins": ["%3$s"],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
                }
                """.formatted(dir, port, PLUGIN));
        ProcessBuilder pb = new ProcessBuilder(ORTHANC.toString(), dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        HttpClient c = client();
        for (int i = 0; i < 300; i++) {
            try {
                if (c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/system")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("Orthanc did not start: " + Files.readString(dir.resolve("orthanc.log")));
    }
}
