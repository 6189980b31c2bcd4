package dev.steadfast.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.testing.CliProcess;
import dev.steadfast.testing.Peers;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, ready within a second: {@code serve} (a child JVM, as an operator runs it) opens the DICOM
 * port before the HTTP side (Jetty, DICOMweb, the viewer) and, on a restart, does not run Flyway over a
 * schema that is already current, nor extract sqlite-jdbc's native library again. What a user sees: the DICOM line comes first in the log, storescu
 * sent as soon as it appears is stored (a complete ingest path behind the port), /health answers ready
 * once serve says it is listening, the library sits in the data folder (nothing of it in the temporary folder), and a restart says the schema is current and still finds the instance.
 */
class Issue19ReadyFirstTest {
    private static final Pattern DICOM_LINE = Pattern.compile("DICOM: AE title STEADFAST on 127\\.0\\.0\\.1:(\\d+);");
    private static final Pattern HTTP_LINE = Pattern.compile("DICOMweb at http://127\\.0\\.0\\.1:(\\d+)/dicom-web");

    @TempDir
    Path tmp;

    @Test
    void dicomPortOpensBeforeHttpAndARestartSkipsTheCurrentSchema() throws Exception {
        String study = Instances.uid();
        Path file = tmp.resolve("image.dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, Instances.image(study, Instances.uid(), Instances.uid(), 64), UID.ExplicitVRLittleEndian);
        }
        // The child's temporary folder, to see what it leaves there.
        Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
        Map<String, String> env = Map.of("STEADFAST_DICOM_BIND", "127.0.0.1", "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + jvmTmp);
        String[] serve = {"serve", "--data", "data", "--dicom-port", "0", "--http-port", "0"};

        try (CliProcess first = CliProcess.start(tmp, env, serve)) {
            assertThat(first.awaitStderr("DICOM: AE title", 120)).as("stderr: %s", first.stderr()).isTrue();
            Matcher dicom = DICOM_LINE.matcher(first.stderr());
            for (int i = 0; i < 200 && !dicom.find(); i++) { // the line may still be half written
                Thread.sleep(50);
                dicom = DICOM_LINE.matcher(first.stderr());
            }
            assertThat(dicom.find(0)).as(first.stderr()).isTrue();
            // Sent the moment the port is announced: it must be stored and acknowledged, whatever HTTP is doing.
            Peers.Result stored = Peers.run(List.of(Peers.tool("storescu"), "-v", "-aec", "STEADFAST", "-aet", "MODALITY",
                    "127.0.0.1", dicom.group(1), file.toString()), 60);
            assertThat(stored.exitCode()).as(stored.output()).isZero();
            assertThat(stored.output()).contains("Received Store Response (Success)");

            assertThat(first.awaitStderr("listening on port", 120)).as("stderr: %s", first.stderr()).isTrue();
            String log = first.stderr();
            assertThat(log.indexOf("DICOM: AE title")).as("the DICOM port is announced before HTTP: %s", log)
                    .isLessThan(log.indexOf("HTTP: DICOMweb at"));
            assertThat(log).as("a new index is migrated").doesNotContain("index schema current");
            Matcher http = HTTP_LINE.matcher(log);
            assertThat(http.find()).isTrue();
            HttpResponse<String> health = get(http.group(1), "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            // sqlite-jdbc's library is kept in the data folder, not extracted to the temporary folder at each start.
            try (var kept = Files.newDirectoryStream(tmp.resolve("data/native"), "libsqlitejdbc-*.so");
                 var left = Files.newDirectoryStream(jvmTmp, "*sqlitejdbc*")) {
                assertThat(kept).hasSize(1);
                assertThat(left).isEmpty();
            }
            first.terminate();
            assertThat(first.awaitExit(60)).isIn(0, 143);
        }

        try (CliProcess second = CliProcess.start(tmp, env, serve)) {
            assertThat(second.awaitStderr("listening on port", 120)).as("stderr: %s", second.stderr()).isTrue();
            assertThat(second.stderr()).contains("index schema current: no migration to run");
            Matcher http = HTTP_LINE.matcher(second.stderr());
            assertThat(http.find()).isTrue();
            HttpResponse<String> studies = get(http.group(1), "/dicom-web/studies?StudyInstanceUID=" + study);
            assertThat(studies.statusCode()).isEqualTo(200);
            assertThat(studies.body()).contains(study);
            second.terminate();
            assertThat(second.awaitExit(60)).isIn(0, 143);
        }
    }

    private static HttpResponse<String> get(String port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
