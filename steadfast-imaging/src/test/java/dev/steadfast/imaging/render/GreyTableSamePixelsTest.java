package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-stored-value table (the fast path of grey rendering) gives the very pixels of the
 * per-pixel pipeline, for every grey integer image of the corpus: its own window or VOI LUT, the
 * frame's range, and an explicit window with each window function.
 */
class GreyTableSamePixelsTest {

    static List<Corpus.Entry> images() {
        return CorpusRenderSmokeTest.images();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void tableGivesThePerPixelResult(Corpus.Entry e) throws Exception {
        DicomFile f = DicomReader.readFile(e.path());
        var ds = f.dataset();
        if (!ds.contains(Tag.Rows) || !ds.contains(Tag.PixelData)) {
            return;
        }
        PixelData px;
        ImageDescriptor d;
        byte[] frame;
        try {
            px = PixelData.of(ds, f.transferSyntaxUid());
            d = px.decodedDescriptor();
            if (d.samplesPerPixel() != 1 || d.photometric().equals("PALETTE COLOR")) {
                return;
            }
            frame = px.decodedFrame(0);
        } catch (PixelDataException | UnsupportedTransferSyntaxException ex) {
            return; // the smoke test names these gaps
        }
        int[] s = Samples.read(frame, d);
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : s) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if ((long) max - min >= 1 << 16) {
            return; // the renderer keeps the per-pixel path for these
        }
        List<RenderOptions> options = List.of(RenderOptions.DEFAULT,
                RenderOptions.DEFAULT.withWindow(40, 400),
                RenderOptions.DEFAULT.withWindow(min + 0.3, 1).withFunction(WindowFunction.LINEAR_EXACT),
                RenderOptions.DEFAULT.withWindow((min + max) / 2.0, Math.max(1, max - min)).withFunction(WindowFunction.SIGMOID));
        for (RenderOptions o : options) {
            BufferedImage table = Renderer.greyByTable(ds, d, s, min, max, 0, o);
            BufferedImage perPixel = Renderer.greyPerPixel(ds, d, frame, 0, o, false);
            assertThat(pixels(table)).as(e.name() + " " + o).isEqualTo(pixels(perPixel));
            // and the path the renderer takes, straight from the stored bytes where it can (issue 19, round five)
            BufferedImage rendered = Renderer.grey(ds, d, frame, 0, o, false);
            assertThat(pixels(rendered)).as(e.name() + " from stored bytes " + o).isEqualTo(pixels(perPixel));
        }
    }

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }
}
