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

    /**
     * Issue 19: grey images are halved by a 2x2 mean instead of Java2D's bilinear transform; the
     * pixels are what bilinear sampling at half the size gives (within rounding), and a 512x512 CT
     * frame's 128-pixel thumbnail is two such halvings, not resampled once more.
     */
    @Test
    void greyHalvingMatchesBilinearSampling() throws Exception {
        DicomFile f = DicomReader.readFile(Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
        BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT.withWindow(40, 400));
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage mine = ImageEncoders.halveGrey(img);
        BufferedImage java2d = new BufferedImage(img.getWidth() / 2, img.getHeight() / 2, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = java2d.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(java.awt.RenderingHints.KEY_RENDERING, java.awt.RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, java2d.getWidth(), java2d.getHeight(), null);
        g.dispose();
        int worst = 0;
        for (int y = 0; y < mine.getHeight(); y++) {
            for (int x = 0; x < mine.getWidth(); x++) {
                worst = Math.max(worst, Math.abs(mine.getRaster().getSample(x, y, 0) - java2d.getRaster().getSample(x, y, 0)));
            }
        }
        assertThat(worst).as("largest difference from bilinear sampling").isLessThanOrEqualTo(1);
        BufferedImage thumb = ImageEncoders.thumbnail(img, img.getWidth() / 4);
        assertThat(thumb.getWidth()).isEqualTo(img.getWidth() / 4);
        assertThat(thumb.getRaster().getSample(7, 9, 0)).isEqualTo(ImageEncoders.halveGrey(mine).getRaster().getSample(7, 9, 0));
        BufferedImage sub = img.getSubimage(1, 1, 100, 100); // a child raster goes the general way, same size
        assertThat(ImageEncoders.halveGrey(sub).getWidth()).isEqualTo(50);
    }
}
