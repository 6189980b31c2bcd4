package dev.steadfast.imaging.render;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ImageEncodersTest {

    @Test
    void rendersToPngAndJpegFittedToTheViewport() throws Exception {
        DicomFile f = DicomReader.readFile(Corpus.root().resolve("us/pydicom-data__US1_UNCR.dcm"));
        BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT.withViewport(200, 200));
        assertThat(img.getWidth()).isEqualTo(200);
        assertThat(img.getHeight()).isEqualTo(150); // 640x480 keeps its aspect
        for (String type : new String[] {"image/png", "image/jpeg"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageEncoders.write(img, type, 80, out);
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
            assertThat(back.getWidth()).isEqualTo(200);
        }
        BufferedImage thumb = ImageEncoders.thumbnail(img, 64);
        assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).isEqualTo(64);
    }

    @Test
    void lowerJpegQualityGivesSmallerFiles() throws Exception {
        DicomFile f = DicomReader.readFile(Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
        BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT.withWindow(40, 400));
        ByteArrayOutputStream hi = new ByteArrayOutputStream();
        ByteArrayOutputStream lo = new ByteArrayOutputStream();
        ImageEncoders.write(img, "image/jpeg", 95, hi);
        ImageEncoders.write(img, "image/jpeg", 20, lo);
        assertThat(lo.size()).isLessThan(hi.size());
    }
}
