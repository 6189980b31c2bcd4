package dev.steadfast.server.viewer;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.testing.Peers;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.server.testing.ViewerBrowser;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A study stored with dcmtk's storescu opens in the web viewer served by serve (issue 16), in Debian's
 * headless chromium with software WebGL driven by playwright-core: the first viewport shows an image, the
 * browser logged no error, no request failed, and the picture agrees with dcmtk's own rendering of the
 * file ({@code dcmj2pnm}, first VOI window) in layout and brightness. Needs node with
 * {@code src/test/viewer}'s packages ({@code npm ci}, as .ci/run does) and chromium; skips without them,
 * fails under CI=true.
 */
class Issue16ViewerBrowserTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm",
        "ct/dicomParser__CT1_UNC.fragmented_bot_jpeg_ls.80.dcm",
        "mr/pydicom-data__MR2_UNCR.dcm",
        "us/pydicom-data__US1_UNCR.dcm",
        "xray/highdicom__dx_image.dcm",
    })
    void aStoredStudyOpensInTheViewerAndLooksLikeDcmtksRendering(String name) throws Exception {
        Path file = Corpus.root().resolve(name);
        ViewerBrowser browser = new ViewerBrowser();
        String storescu = Peers.tool("storescu");
        // dcmtk's renderer for the file's syntax: dcml2pnm reads JPEG-LS, dcmj2pnm the rest.
        String dcmj2pnm = Peers.tool(name.contains("jpeg_ls") ? "dcml2pnm" : "dcmj2pnm");
        DicomFile dicom = DicomReader.readFile(file);
        String study = dicom.dataset().getString(Tag.StudyInstanceUID);

        Path data = Files.createDirectories(tmp.resolve("data"));
        try (ArchiveNode archive = TestNodes.start(data, TestNodes.indexUrl(TestNodes.Db.SQLITE, data), Map.of(), List.of())) {
            // storescu proposes uncompressed syntaxes unless told; a JPEG-LS file is sent as it is stored.
            List<String> send = new java.util.ArrayList<>(List.of(storescu));
            if (dicom.transferSyntaxUid().startsWith("1.2.840.10008.1.2.4.80")) {
                send.add("-xt");
            }
            send.addAll(List.of("-aec", "STEADFAST", "-aet", "MODALITY", "127.0.0.1", String.valueOf(archive.dicomPort()),
                    file.toString()));
            Peers.Result sent = Peers.run(send, 60);
            assertThat(sent.exitCode()).as(sent.output()).isZero();

            Path shot = tmp.resolve("viewer.png");
            String url = "http://127.0.0.1:" + archive.httpPort() + "/viewer/viewer?StudyInstanceUIDs=" + study;
            String json = browser.open(url, shot);
            assertThat(json).contains("\"shown\":true");
            assertThat(json).as("no page errors").contains("\"pageErrors\":[]");
            assertThat(json).as("no failed requests").contains("\"failedRequests\":[]");
            assertThat(json).as("no console errors").contains("\"consoleErrors\":[]");

            Path reference = tmp.resolve("dcmtk.png");
            Peers.Result rendered = Peers.run(List.of(dcmj2pnm, "+on", "+Wi", "1", "+F", "1", file.toString(),
                    reference.toString()), 60);
            if (rendered.exitCode() != 0) { // no VOI window in the file: dcmtk's min-max window
                rendered = Peers.run(List.of(dcmj2pnm, "+on", "+Wm", "+F", "1", file.toString(), reference.toString()), 60);
            }
            assertThat(rendered.exitCode()).as(rendered.output()).isZero();

            BufferedImage viewer = ImageIO.read(shot.toFile());
            BufferedImage dcmtk = ImageIO.read(reference.toFile());
            int columns = dicom.dataset().getInt(Tag.Columns, 0);
            int rows = dicom.dataset().getInt(Tag.Rows, 0);
            double[] a = ImageCompare.thumbnail(ImageCompare.fitted(viewer, columns, rows));
            double[] b = ImageCompare.thumbnail(dcmtk);
            double r = ImageCompare.correlation(a, b);
            double brightnessA = ImageCompare.mean(a);
            double brightnessB = ImageCompare.mean(b);
            keepScreenshot(name, shot);
            assertThat(r).as("layout: correlation of the viewer's picture with dcmtk's (%s)", name).isGreaterThan(0.6);
            assertThat(Math.abs(brightnessA - brightnessB)).as("brightness %.0f vs dcmtk %.0f", brightnessA, brightnessB)
                    .isLessThan(60);
        }
    }

    /** The README shows the first one; kept under target for a human to look at. */
    private static void keepScreenshot(String name, Path shot) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/viewer-screenshots"));
        Files.copy(shot, dir.resolve(Path.of(name).getFileName() + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Path page = Path.of(shot.toString().replace(".png", "-page.png"));
        if (Files.exists(page)) {
            Files.copy(page, dir.resolve(Path.of(name).getFileName() + "-page.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String text(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
