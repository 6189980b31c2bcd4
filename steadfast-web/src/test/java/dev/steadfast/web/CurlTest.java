package dev.steadfast.web;

import dev.steadfast.web.testing.Synthetic;
import dev.steadfast.web.testing.TestArchive;
import dev.steadfast.web.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** curl as the client: STOW of a file, CORS as a browser asks, gzip, error bodies, 404 and 406. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CurlTest {
    private static final String CURL = "/usr/bin/curl";
    private TestArchive archive;
    private String study;
    private String series;
    private String sop;

    @BeforeAll
    void start() throws Exception {
        // Cross-origin access only for the listed viewer (issue 14: never "*").
        archive = new TestArchive(WebConfig.on("127.0.0.1", 0).withCors(dev.steadfast.web.http.Cors.allowing(List.of("http://viewer.example"))));
        study = Synthetic.uid();
        series = Synthetic.uid();
        sop = Synthetic.uid();
        archive.ingest.storePart10(new ByteArrayInputStream(Synthetic.part10(
                Synthetic.instance("C1", "Curl^Test", study, series, sop))), "TEST");
    }

    @AfterAll
    void stop() throws Exception {
        archive.close();
    }

    private String curl(String... args) {
        Tools.require(CURL);
        List<String> cmd = new ArrayList<>(List.of(CURL, "-s", "-S", "-i"));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output();
    }

    @Test
    void stowOfAFileWithCurlsOwnMultipart() throws Exception {
        Path file = Files.createTempFile("curl", ".dcm");
        Files.write(file, Synthetic.part10(Synthetic.instance("C2", "Curl^Two", study, series, Synthetic.uid())));
        // curl's -F builds the multipart body itself (its own boundary and part headers).
        String out = curl("-X", "POST", "-H", "Content-Type: multipart/related; type=\"application/dicom\"",
                "-F", "file=@" + file + ";type=application/dicom", archive.base() + "/studies/" + study);
        Files.delete(file);
        assertThat(out).startsWith("HTTP/1.1 200").contains("00081199");
    }

    @Test
    void browserPreflightAndGetSeeCorsHeaders() {
        String pre = curl("-X", "OPTIONS", "-H", "Origin: http://viewer.example", "-H",
                "Access-Control-Request-Method: GET", "-H", "Access-Control-Request-Headers: accept",
                archive.base() + "/studies");
        assertThat(pre).startsWith("HTTP/1.1 204").containsIgnoringCase("Access-Control-Allow-Origin: http://viewer.example")
                .containsIgnoringCase("Access-Control-Allow-Headers: accept");
        String get = curl("-H", "Origin: http://viewer.example", archive.base() + "/studies?PatientID=C1");
        assertThat(get).containsIgnoringCase("Access-Control-Allow-Origin: http://viewer.example")
                .containsIgnoringCase("Access-Control-Expose-Headers: Warning").doesNotContain("Access-Control-Allow-Origin: *");
        String other = curl("-H", "Origin: http://elsewhere.example", archive.base() + "/studies?PatientID=C1");
        assertThat(other).doesNotContainIgnoringCase("Access-Control-Allow-Origin");
        String post = curl("-X", "OPTIONS", "-H", "Origin: http://viewer.example", "-H",
                "Access-Control-Request-Method: POST", archive.base() + "/studies");
        assertThat(post).doesNotContainIgnoringCase("Access-Control-Allow-Origin");
    }

    @Test
    void jsonIsGzippedWhenAskedAndDecodesToTheSame() {
        String plain = curl(archive.base() + "/studies/" + study + "/metadata");
        String zipped = curl("--compressed", archive.base() + "/studies/" + study + "/metadata");
        assertThat(zipped).containsIgnoringCase("Content-Encoding: gzip");
        assertThat(body(zipped)).isEqualTo(body(plain)).contains(sop).contains("BulkDataURI");
    }

    @Test
    void errorsAreJsonWithAWarningHeader() {
        String missing = curl(archive.base() + "/studies/1.2.3.4/metadata");
        assertThat(missing).startsWith("HTTP/1.1 404").contains("Warning: 299").contains("\"status\":404");
        // HTJ2K is stored and served as received only: nothing here encodes it.
        String native406 = curl("-H", "Accept: multipart/related; type=\"image/jphc\"",
                archive.base() + "/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/1");
        assertThat(native406).startsWith("HTTP/1.1 406").contains("\"status\":406");
        String rendered = curl("-H", "Accept: image/gif", archive.base() + "/studies/" + study + "/series/" + series
                + "/instances/" + sop + "/rendered");
        assertThat(rendered).startsWith("HTTP/1.1 406").contains("rendered images are available as image/jpeg, image/png");
        String frame99 = curl(archive.base() + "/studies/" + study + "/series/" + series + "/instances/" + sop
                + "/frames/99");
        assertThat(frame99).startsWith("HTTP/1.1 404");
        assertThat(curl("-X", "DELETE", archive.base() + "/studies")).startsWith("HTTP/1.1 405");
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

}
