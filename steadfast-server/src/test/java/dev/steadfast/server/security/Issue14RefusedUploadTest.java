package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or mistaken input (issue 14): an upload refused before its body was read, larger than
 * what is read without waiting before the answer, still gets its status and reason every time instead of a reset
 * connection, and the archive keeps answering everyone else. Through serve's wiring, no auth.
 */
class Issue14RefusedUploadTest {
    @TempDir
    Path tmp;

    @Test
    void aLargeRefusedUploadReadsItsRefusalNotABrokenPipe() throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            String base = "http://127.0.0.1:" + node.httpPort() + "/dicom-web";
            byte[] big = new byte[24 << 20]; // not arrived whole when answered: the connection is not kept
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> refused = Web.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/studies"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as("upload %d", i).isEqualTo(415);
                assertThat(refused.body()).contains("\"status\":415");
                assertThat(refused.headers().firstValue("Connection")).as("not kept: its body was not read").hasValue("close");
            }
            String study = Web.uid();
            assertThat(Web.stow(base, study).statusCode()).isEqualTo(200);
            HttpResponse<String> found = Web.get(base + "/studies?StudyInstanceUID=" + study, "Accept", "application/dicom+json");
            assertThat(found.body()).contains(study);
        }
    }
}
