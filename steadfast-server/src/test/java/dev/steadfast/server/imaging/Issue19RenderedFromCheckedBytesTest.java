package dev.steadfast.server.imaging;

import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: rendered frames are made from the stored object read whole into memory (no longer parsed
 * from its stream). The read still passes the retrieve check before anything is rendered: after a
 * stored copy is damaged in its pixel data (same size, so nothing but the checksum can tell), neither
 * the rendered frame nor the thumbnail is served from it, on the first read (SHA-256) nor after an
 * earlier good read was remembered (CRC32C), and the multi-frame object's frames still render.
 */
class Issue19RenderedFromCheckedBytesTest {
    private static final String CT = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";
    private static final List<String> MULTIFRAME = List.of("mr/fo-dicom__MOVEKNEE.dcm", "mr/pydicom-data__emri_small_RLE.dcm",
            "us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm");

    private static Corpus.Entry entry(String name) {
        return Corpus.wellFormed().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDamagedCopyIsNotRendered(@TempDir Path tmp) throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            ServedCorpus.Image remembered = ServedCorpus.store(node, entry(CT), tmp);
            assertImage(ServedCorpus.get(node, remembered.path() + "/rendered", "image/jpeg"), 512); // verified and remembered
            damage(tmp.resolve("data"), remembered.path());
            for (String r : List.of("/rendered", "/thumbnail", "/frames/1/rendered")) {
                HttpResponse<byte[]> after = ServedCorpus.get(node, remembered.path() + r, "image/jpeg");
                assertThat(after.statusCode()).as("%s of a damaged copy: %s", r, new String(after.body())).isEqualTo(500);
                assertThat(after.headers().firstValue("Content-Type").orElse("")).doesNotContain("image/");
            }
        }
    }

    @Test
    void aDamagedCopyNeverReadBeforeIsNotRenderedAndFramesOfAMultiFrameObjectAre(@TempDir Path tmp) throws Exception {
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp), Map.of(), List.of())) {
            ServedCorpus.Image fresh = ServedCorpus.store(node, entry(CT), tmp);
            damage(tmp.resolve("data"), fresh.path());
            HttpResponse<byte[]> first = ServedCorpus.get(node, fresh.path() + "/rendered", "image/jpeg");
            assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(500);

            // Frames of multi-frame objects, native, RLE and JPEG (fragments), are the renderer's own frames.
            for (String name : MULTIFRAME) {
                ServedCorpus.Image mf = ServedCorpus.store(node, entry(name), tmp);
                dev.steadfast.dicom.io.DicomFile f = dev.steadfast.dicom.io.DicomReader.readFile(mf.file());
                int frames = f.dataset().getInt(dev.steadfast.dicom.Tag.NumberOfFrames, 1);
                for (int n : new int[] {1, frames / 2 + 1, frames}) {
                    HttpResponse<byte[]> r = ServedCorpus.get(node, mf.path() + "/frames/" + n + "/rendered", "image/png");
                    assertThat(r.statusCode()).as(name + " frame " + n + ": " + new String(r.body())).isEqualTo(200);
                    java.awt.image.BufferedImage expected = dev.steadfast.imaging.render.Renderer.render(f.dataset(),
                            f.transferSyntaxUid(), n - 1, dev.steadfast.imaging.render.RenderOptions.DEFAULT);
                    assertThat(pixels(ImageIO.read(new ByteArrayInputStream(r.body())))).as(name + " frame " + n)
                            .isEqualTo(pixels(expected));
                }
            }
        }
    }

    private static int[] pixels(java.awt.image.BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static byte[] assertImage(HttpResponse<byte[]> r, int width) throws Exception {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(r.body())).getWidth()).isEqualTo(width);
        return r.body();
    }

    /** Flips bytes in the middle of the pixel data of the instance's stored file, keeping its size. */
    private static void damage(Path data, String path) throws Exception {
        String sop = path.substring(path.lastIndexOf('/') + 1);
        Path file;
        try (Stream<Path> all = Files.walk(data.resolve("storage"))) {
            file = all.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains(sop)).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(file);
        for (int i = b.length - 40_000; i < b.length - 39_000; i++) {
            b[i] ^= 0x5A;
        }
        Files.write(file, b);
    }
}
