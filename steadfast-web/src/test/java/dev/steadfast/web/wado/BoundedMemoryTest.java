package dev.steadfast.web.wado;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.web.multipart.MultipartReader;
import dev.steadfast.web.testing.ForkedServerProcess;
import dev.steadfast.web.testing.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A study bigger than the server's whole heap goes out through WADO-RS: the server runs in its
 * own JVM at -Xmx48m and serves four 80 MB instances (each alone larger than its heap), then
 * the pixel data of one as bulk data. Any handler that materialised a body would die of
 * OutOfMemoryError.
 */
class BoundedMemoryTest {
    private static final int INSTANCES = 4;
    private static final int PIXEL_BYTES = 80 << 20;

    @TempDir
    Path tmp;

    @Test
    void studyLargerThanTheHeapStreamsOut() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        List<String> shas = new ArrayList<>();
        List<String> sops = new ArrayList<>();
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            for (int i = 0; i < INSTANCES; i++) {
                String sop = Synthetic.uid();
                Dataset ds = Synthetic.instance("MEM", "Big^Study", study, series, sop);
                ds.setInt(Tag.Rows, VR.US, 4096);
                ds.setInt(Tag.Columns, VR.US, 4096);
                ds.setString(Tag.NumberOfFrames, VR.IS, "2");
                byte[] px = new byte[PIXEL_BYTES];
                px[0] = (byte) i;
                px[PIXEL_BYTES - 1] = (byte) 0x5A;
                ds.setBytes(Tag.PixelData, VR.OW, px);
                shas.add(ingest.storePart10(new ByteArrayInputStream(Synthetic.part10(ds)), "TEST").sha256());
                sops.add(sop);
            }
        }
        try (ForkedServerProcess server = new ForkedServerProcess(dir, "48m")) {
            URI base = server.base;
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base + "/studies/" + study))
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            String boundary = r.headers().firstValue("Content-Type").orElseThrow().replaceAll(".*boundary=", "");
            List<String> got = new ArrayList<>();
            try (InputStream body = r.body()) {
                MultipartReader parts = new MultipartReader(body, boundary);
                MultipartReader.Part p;
                while ((p = parts.next()) != null) {
                    got.add(sha256(p.body()));
                }
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(shas);

            // Without transfer-syntax the default, Explicit VR Little Endian, is how they are stored: still streamed.
            HttpResponse<InputStream> def = client.send(HttpRequest.newBuilder(URI.create(base + "/studies/" + study))
                    .header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(def.statusCode()).isEqualTo(200);
            String defBoundary = def.headers().firstValue("Content-Type").orElseThrow().replaceAll(".*boundary=", "");
            List<String> again = new ArrayList<>();
            try (InputStream body = def.body()) {
                MultipartReader parts = new MultipartReader(body, defBoundary);
                MultipartReader.Part p;
                while ((p = parts.next()) != null) {
                    again.add(sha256(p.body()));
                }
            }
            assertThat(again).containsExactlyInAnyOrderElementsOf(shas);

            // The pixel data of one instance, as bulk data: 80 MB through a 48 MB heap.
            HttpResponse<InputStream> bulk = client.send(HttpRequest.newBuilder(URI.create(base + "/studies/" + study
                            + "/series/" + series + "/instances/" + sops.get(1) + "/bulkdata/7FE00010")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(bulk.statusCode()).isEqualTo(200);
            String b = bulk.headers().firstValue("Content-Type").orElseThrow().replaceAll(".*boundary=", "");
            try (InputStream body = bulk.body()) {
                MultipartReader.Part p = new MultipartReader(body, b).next();
                byte[] head = p.body().readNBytes(1);
                long rest = p.body().transferTo(java.io.OutputStream.nullOutputStream());
                assertThat(head[0]).isEqualTo((byte) 1);
                assertThat(rest + 1).isEqualTo(PIXEL_BYTES);
            }
            assertThat(server.isAlive()).as("the server survived").isTrue();
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
