package dev.steadfast.web.stow;

import dev.steadfast.web.testing.Http;
import dev.steadfast.web.testing.TestArchive;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A STOW-RS metadata part is parsed in memory, so it is bounded (issue 14): a part over 64 MiB is refused with
 * 413 and a message saying what to do, before it is held; the archive goes on serving.
 */
class Issue14MetadataLimitTest {

    @Test
    void aHugeMetadataPartIsRefusedWith413() throws Exception {
        try (TestArchive archive = new TestArchive()) {
            String boundary = "huge-" + System.nanoTime();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom+json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes("[{\"00081030\":{\"vr\":\"LO\",\"Value\":[\"".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (long n = 0; n <= MetadataStow.MAX_METADATA_BYTES; n += chunk.length) {
                body.writeBytes(chunk);
            }
            body.writeBytes(("\"]}}]\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpResponse<byte[]> r = Http.post(URI.create(archive.base() + "/studies"),
                    "multipart/related; type=\"application/dicom+json\"; boundary=" + boundary, body.toByteArray());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.headers().allValues("Warning").toString()).contains("metadata part is larger than 64 MiB");
            // Still serving.
            assertThat(Http.get(URI.create(archive.base() + "/studies"), "Accept", "application/dicom+json").statusCode())
                    .isIn(200, 204);
        }
    }
}
