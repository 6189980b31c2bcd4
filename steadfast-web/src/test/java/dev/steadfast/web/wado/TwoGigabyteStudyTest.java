package dev.steadfast.web.wado;

import dev.steadfast.web.multipart.MultipartReader;
import dev.steadfast.web.testing.ForkedServerProcess;
import dev.steadfast.web.testing.LargeInstance;
import dev.steadfast.web.testing.Synthetic;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's bounded-memory proof: a 2 GiB study (8 native instances of 256 MiB, 8 frames of
 * 4096 x 4096 x 16 bit each) goes in through one STOW-RS request and out through WADO-RS study
 * retrieval, as stored ({@code transfer-syntax=*}) and in the default syntax, to a server in its
 * own JVM at -Xmx256m (each instance alone is as large as its heap; the study is eight times
 * that). The instances are generated while they are sent and digested while they come back, so
 * nothing holds them in memory on either side; every byte of every data set must come back, and
 * the server must still be alive and answering afterwards.
 */
class TwoGigabyteStudyTest {
    private static final int INSTANCES = 8;
    private static final int FRAMES = 8; // 8 x 32 MiB = 256 MiB per instance

    @Test
    void twoGigabyteStudyGoesInAndOutOfA256MegabyteHeap() throws Exception {
        Path dir = Files.createTempDirectory("steadfast-web-2g");
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        List<LargeInstance> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(new LargeInstance(study, series, Synthetic.uid(), FRAMES));
        }
        long datasetBytes = instances.stream().mapToLong(LargeInstance::datasetBytes).sum();
        assertThat(instances.stream().mapToLong(LargeInstance::pixelBytes).sum()).isGreaterThanOrEqualTo(2L << 30);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ForkedServerProcess server = new ForkedServerProcess(dir.resolve("data"), "256m")) {
            long t0 = System.nanoTime();
            String boundary = "steadfast-2g-" + Synthetic.uid();
            HttpResponse<String> stow = client.send(HttpRequest.newBuilder(URI.create(server.base + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                    .header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipart(boundary, instances))).build(),
                    HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            assertThat(stow.statusCode()).as(stow.body() + server.log()).isEqualTo(200);
            for (LargeInstance li : instances) {
                assertThat(stow.body()).contains(li.sop);
            }
            List<String> expected = instances.stream().map(LargeInstance::datasetSha256).toList();

            Retrieved asStored = retrieve(client, server.base + "/studies/" + study,
                    "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            long t2 = System.nanoTime();
            assertThat(asStored.datasetSha256).as(server.log()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(asStored.datasetBytes).isEqualTo(datasetBytes);

            Retrieved byDefault = retrieve(client, server.base + "/studies/" + study,
                    "multipart/related; type=\"application/dicom\"");
            long t3 = System.nanoTime();
            assertThat(byDefault.datasetSha256).as(server.log()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(byDefault.datasetBytes).isEqualTo(datasetBytes);

            assertThat(server.isAlive()).as("the server survived: " + server.log()).isTrue();
            HttpResponse<String> qido = client.send(HttpRequest.newBuilder(URI.create(server.base + "/studies/" + study
                    + "/instances")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(qido.statusCode()).isEqualTo(200);
            assertThat(qido.body().split("00080018", -1)).hasSize(INSTANCES + 1);
            System.out.printf("TwoGigabyteStudyTest: %,d bytes; STOW %.1f s, WADO-RS * %.1f s, default %.1f s%n",
                    datasetBytes, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The STOW-RS body, generated as it is read. */
    private static InputStream multipart(String boundary, List<LargeInstance> instances) {
        List<InputStream> pieces = new ArrayList<>();
        for (LargeInstance li : instances) {
            pieces.add(ascii("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n"));
            pieces.add(new LazyStream(li));
            pieces.add(ascii("\r\n"));
        }
        pieces.add(ascii("--" + boundary + "--\r\n"));
        return new SequenceInputStream(Collections.enumeration(pieces));
    }

    private static InputStream ascii(String s) {
        return new java.io.ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Opens the instance's stream on first read, so its digest starts when its bytes are sent. */
    private static final class LazyStream extends InputStream {
        private final LargeInstance instance;
        private InputStream in;

        LazyStream(LargeInstance instance) {
            this.instance = instance;
        }

        private InputStream in() {
            if (in == null) {
                in = instance.part10();
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }
    }

    record Retrieved(List<String> datasetSha256, long datasetBytes) {}

    /** Streams a WADO-RS response, digesting each part's data set (after its File Meta Information). */
    private static Retrieved retrieve(HttpClient client, String url, String accept) throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        String boundary = r.headers().firstValue("Content-Type").orElseThrow()
                .replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        List<String> digests = new ArrayList<>();
        long bytes = 0;
        try (InputStream body = r.body()) {
            MultipartReader parts = new MultipartReader(body, boundary);
            MultipartReader.Part p;
            while ((p = parts.next()) != null) {
                InputStream in = p.body();
                byte[] start = in.readNBytes(144);
                in.skipNBytes(LargeInstance.afterMeta(start) - 144L);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[256 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    bytes += n;
                }
                digests.add(HexFormat.of().formatHex(md.digest()));
            }
        }
        return new Retrieved(digests, bytes);
    }

}
