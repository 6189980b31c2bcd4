package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.PixelDataException;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every image in the corpus renders a thumbnail of its first and last frame, except the named gaps. */
class CorpusRenderSmokeTest {
    /** Known gaps, each with its reason (reported in the issue). */
    static final Set<String> UNSUPPORTED = Set.of(
            "sc/pydicom-data__HTJ2KLossless_08_RGB.dcm", "sc/pydicom-data__HTJ2K_08_RGB.dcm", // HTJ2K
            "us/dcm4che__will-jxl.dcm",                                       // JPEG XL
            "mr/fo-dicom__GH340.dcm",                                         // ACR-NEMA packed 12-bit (Bits Allocated 12)
            "mr/fo-dicom__GH1146.dcm");                                       // zero-length Pixel Data: a clear error

    static List<Corpus.Entry> images() {
        return Corpus.wellFormed().stream().filter(e -> !e.notes().startsWith("header only")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void rendersOrNamesTheGap(Corpus.Entry e) throws Exception {
        DicomFile f = DicomReader.readFile(e.path());
        if (!f.dataset().contains(Tag.Rows) || (!f.dataset().contains(Tag.PixelData) && !f.dataset().contains(Tag.FloatPixelData))) {
            return;
        }
        try {
            int frames = PixelData.of(f.dataset(), f.transferSyntaxUid()).frameCount();
            for (int frame : frames > 1 ? new int[] {0, frames - 1} : new int[] {0}) {
                BufferedImage img = Renderer.render(f.dataset(), f.transferSyntaxUid(), frame, RenderOptions.DEFAULT.withViewport(128, 128));
                assertThat(Math.max(img.getWidth(), img.getHeight())).isEqualTo(128);
                ImageEncoders.write(img, "image/jpeg", 75, new ByteArrayOutputStream());
            }
            assertThat(UNSUPPORTED).as("renders now: remove from the gaps").doesNotContain(e.name());
        } catch (PixelDataException | UnsupportedTransferSyntaxException ex) {
            assertThat(UNSUPPORTED).as(e.name() + ": " + ex.getMessage()).contains(e.name());
        }
    }
}
