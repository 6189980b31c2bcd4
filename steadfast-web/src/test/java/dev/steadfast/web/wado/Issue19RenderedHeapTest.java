package dev.steadfast.web.wado;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.web.testing.ForkedServerProcess;
import dev.steadfast.web.testing.Synthetic;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 (rendered frames read whole, {@code WholeObject}): a server in its own JVM with a small
 * heap (-Xmx192m, exit on OutOfMemoryError) is asked for many rendered images of large objects at
 * once, just under the 16 MiB whole-read limit and just above it: every answer is the image or 503
 * (busy), never an internal error, and the server lives on and renders each alone afterwards. A copy
 * grown on disk far past its recorded size (a sparse 400 MiB tail) is refused (500), never gathered
 * into memory, and the server lives on; a copy shorter than recorded is refused too.
 */
class Issue19RenderedHeapTest {
    private static final int CONCURRENT = 12;

    @TempDir
    Path tmp;

    @Test
    void manyLargeRendersAtOnceGetTheImageOr503AndAGrownCopyIsNotReadIntoMemory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String under = Synthetic.uid();
        String over = Synthetic.uid();
        String grown = Synthetic.uid();
        String truncated = Synthetic.uid();
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            IngestService ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
            ingest.storePart10(new ByteArrayInputStream(Synthetic.part10(image(study, series, under, 3968, 4200))), "TEST");
            ingest.storePart10(new ByteArrayInputStream(Synthetic.part10(image(study, series, over, 4096, 4200))), "TEST");
            ingest.storePart10(new ByteArrayInputStream(Synthetic.part10(image(study, series, grown, 64, 64))), "TEST");
            ingest.storePart10(new ByteArrayInputStream(Synthetic.part10(image(study, series, truncated, 64, 64))), "TEST");
        }
        assertThat(Files.size(stored(dir, under))).as("read whole").isLessThanOrEqualTo(WholeObject.MAX);
        assertThat(Files.size(stored(dir, over))).as("streamed").isGreaterThan(WholeObject.MAX);
        try (RandomAccessFile f = new RandomAccessFile(stored(dir, grown).toFile(), "rw")) {
            f.setLength(f.length() + (400L << 20)); // sparse: costs no disk
        }
        try (RandomAccessFile f = new RandomAccessFile(stored(dir, truncated).toFile(), "rw")) {
            f.setLength(f.length() - 1000);
        }
        try (ForkedServerProcess server = new ForkedServerProcess(dir, "192m")) {
            String base = server.base + "/studies/" + study + "/series/" + series + "/instances/";
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String sop : List.of(under, over)) {
                List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    all.add(client.sendAsync(rendered(base + sop), HttpResponse.BodyHandlers.ofByteArray()));
                }
                List<Integer> statuses = new ArrayList<>();
                for (CompletableFuture<HttpResponse<byte[]>> f : all) {
                    statuses.add(f.get(120, TimeUnit.SECONDS).statusCode());
                }
                assertThat(statuses).as(sop + ": " + tail(server)).allMatch(s -> s == 200 || s == 503).contains(200);
                assertThat(server.isAlive()).as(tail(server)).isTrue();
                assertThat(client.send(rendered(base + sop), HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
            }
            for (String damaged : List.of(grown, truncated)) {
                HttpResponse<String> r = client.send(rendered(base + damaged), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
            }
            assertThat(server.isAlive()).as(tail(server)).isTrue();
            assertThat(client.send(rendered(base + under), HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
        }
    }

    private static HttpRequest rendered(String instance) {
        return HttpRequest.newBuilder(URI.create(instance + "/rendered?viewport=128,128")).header("Accept", "image/jpeg").build();
    }

    /** An 8-bit grey image of {@code columns} x {@code rows}. */
    private static Dataset image(String study, String series, String sop, int columns, int rows) {
        Dataset ds = Synthetic.instance("HEAP", "Heap^Test", study, series, sop);
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        byte[] px = new byte[columns * rows];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 251);
        }
        ds.setBytes(Tag.PixelData, VR.OB, px);
        return ds;
    }

    private static Path stored(Path dir, String sop) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("storage"))) {
            return s.filter(p -> p.getFileName().toString().equals(sop + ".dcm")).findFirst().orElseThrow();
        }
    }

    private static String tail(ForkedServerProcess server) {
        String l = server.log();
        return l.length() > 4000 ? l.substring(l.length() - 4000) : l;
    }
}
