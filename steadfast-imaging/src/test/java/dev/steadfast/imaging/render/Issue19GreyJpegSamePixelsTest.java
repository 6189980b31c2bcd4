package dev.steadfast.imaging.render;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: rendered grey images are JPEG-encoded by {@link GreyJpegEncoder} instead of the JDK's
 * writer. A viewer must see the very pixels the JDK's writer gave: for every grey image the corpus
 * renders (and crops of odd sizes, thumbnails, noise, a 1x1 image), at several qualities, both JPEGs
 * decode to identical pixels; and {@link ImageEncoders#write} now takes this path for grey JPEG.
 */
class Issue19GreyJpegSamePixelsTest {
    private static final int[] QUALITIES = {90, 1, 37, 50, 75, 100};

    static List<Corpus.Entry> images() {
        return CorpusRenderSmokeTest.images();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void sameDecodedPixelsAsTheJdkWriter(Corpus.Entry e) throws Exception {
        BufferedImage img;
        try {
            DicomFile f = DicomReader.readFile(e.path());
            img = Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT);
        } catch (PixelDataException | UnsupportedTransferSyntaxException | IllegalArgumentException ex) {
            return; // not renderable (the smoke test names these gaps)
        }
        if (!GreyJpegEncoder.accepts(img)) {
            return; // colour: still the JDK's writer
        }
        List<BufferedImage> variants = new ArrayList<>(List.of(img, ImageEncoders.thumbnail(img, 128)));
        if (img.getWidth() > 20 && img.getHeight() > 20) {
            variants.add(img.getSubimage(3, 5, img.getWidth() - 10, img.getHeight() - 13)); // edges not on a block boundary, a sub-raster
        }
        for (BufferedImage v : variants) { // the corpus at the default and one odd quality; every quality below
            assertSamePixels(v, 90, e.name());
        }
        assertSamePixels(img, 37, e.name());
    }

    @Test
    void oddSizesAndNoiseToo() throws Exception {
        Random r = new Random(19);
        for (int[] size : new int[][] {{1, 1}, {3, 2}, {7, 9}, {8, 8}, {17, 31}, {129, 64}}) {
            BufferedImage img = new BufferedImage(size[0], size[1], BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            r.nextBytes(px); // the largest coefficients and long codes, 0xFF bytes to stuff
            for (int q : QUALITIES) {
                assertSamePixels(img, q, size[0] + "x" + size[1]);
            }
        }
    }

    /** Blocks of one grey value skip the DCT (round five): every value 0-255, between noisy blocks, edges included. */
    @Test
    void uniformBlocksOfEveryGreyValue() throws Exception {
        Random r = new Random(5);
        for (int[] size : new int[][] {{256, 64}, {251, 70}}) {
            BufferedImage img = new BufferedImage(size[0], size[1], BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    int block = (y / 8) * 32 + x / 8;
                    // every 5th block noisy, so uniform blocks follow both uniform and noisy ones (DC differences)
                    px[y * size[0] + x] = (byte) (block % 5 == 4 ? r.nextInt(256) : block % 256);
                }
            }
            for (int q : QUALITIES) {
                assertSamePixels(img, q, "uniform blocks " + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void imageEncodersUsesItForGreyJpeg() throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream viaEncoders = new ByteArrayOutputStream();
        ImageEncoders.write(img, "image/jpeg", 90, viaEncoders);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        GreyJpegEncoder.write(img, 90, direct);
        assertThat(viaEncoders.toByteArray()).isEqualTo(direct.toByteArray());
        assertThat(GreyJpegEncoder.accepts(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB))).isFalse();
    }

    private static void assertSamePixels(BufferedImage img, int quality, String what) throws IOException {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        GreyJpegEncoder.write(img, quality, ours);
        int[] expected = pixels(jdkJpeg(img, quality));
        int[] actual = pixels(ours.toByteArray());
        assertThat(actual).as("%s %dx%d quality %d", what, img.getWidth(), img.getHeight(), quality).isEqualTo(expected);
    }

    /** What ImageEncoders wrote before issue 19: the JDK's writer through ImageIO, quality / 100. */
    private static byte[] jdkJpeg(BufferedImage img, int quality) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    private static int[] pixels(byte[] jpeg) throws IOException {
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(b).isNotNull();
        Raster r = b.getRaster();
        assertThat(r.getNumBands()).isEqualTo(1);
        return r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
    }
}
