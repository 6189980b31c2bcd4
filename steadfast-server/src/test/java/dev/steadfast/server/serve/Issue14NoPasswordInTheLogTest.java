package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: no secret in the server log. pgjdbc takes the database password as a URL parameter
 * ({@code jdbc:postgresql://host/db?user=steadfast&password=...}), and serve's start line printed the
 * index URL with only its user part masked, so that password went to the log (and to whoever collects
 * it). Now every {@code ...password=} parameter is masked too.
 */
class Issue14NoPasswordInTheLogTest {
    private static final String SECRET = "Sup3r-secret-db-pw";

    @TempDir
    Path tmp;

    @Test
    void theIndexPasswordGivenInTheUrlIsNotLogged() throws Exception {
        String url = TestNodes.indexUrl(TestNodes.Db.POSTGRESQL, tmp);
        url += (url.contains("?") ? "&" : "?") + "password=" + SECRET + "&sslpassword=" + SECRET + "2";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err; // serve logs to stderr (slf4j-simple): keep a copy
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        }, true));
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), url, Map.of("http.enabled", "false"), List.of())) {
            assertThat(node.dicomPort()).isPositive(); // it reached its database with that URL
        } finally {
            System.setErr(err);
        }
        String printed;
        synchronized (log) {
            printed = log.toString(StandardCharsets.UTF_8);
        }
        assertThat(printed).contains("index IndexConfig[jdbc:postgresql:").contains("password=***")
                .doesNotContain(SECRET);
    }
}
