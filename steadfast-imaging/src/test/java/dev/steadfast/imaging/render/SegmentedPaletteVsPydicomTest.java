package dev.steadfast.imaging.render;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.testing.Corpus;
import dev.steadfast.imaging.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segmented palettes, which dcmtk 3.6.7 ignores, against pydicom's apply_color_lut (16-bit
 * output, compared after dropping the low byte, within 1).
 */
class SegmentedPaletteVsPydicomTest {
    static final String PY = """
            import sys, pydicom
            from pydicom.pixel_data_handlers.util import apply_color_lut
            ds = pydicom.dcmread(sys.argv[1])
            rgb = apply_color_lut(ds.pixel_array, ds)
            open(sys.argv[2], 'wb').write((rgb >> 8).astype('uint8').tobytes())
            """;

    @Test
    void alokaUltrasoundPaletteMatchesPydicom(@TempDir Path tmp) throws Exception {
        Corpus.requireOrSkip(Files.isExecutable(Path.of("/usr/bin/python3")), "Debian python3 with pydicom");
        Path in = Corpus.root().resolve("us/pydicom-data__gdcm-US-ALOKA-16_big.dcm");
        Path raw = tmp.resolve("rgb.raw");
        Tools.Result r = Tools.run("/usr/bin/python3", "-c", PY, in.toString(), raw.toString());
        Corpus.requireOrSkip(r.ok(), "pydicom: " + r.output());
        byte[] theirs = Files.readAllBytes(raw);
        DicomFile f = DicomReader.readFile(in);
        BufferedImage ours = Renderer.render(f.dataset(), f.transferSyntaxUid(), 0, RenderOptions.DEFAULT);
        assertThat(theirs.length).isEqualTo(ours.getWidth() * ours.getHeight() * 3);
        int max = 0;
        for (int y = 0; y < ours.getHeight(); y++) {
            for (int x = 0; x < ours.getWidth(); x++) {
                int v = ours.getRGB(x, y);
                int i = (y * ours.getWidth() + x) * 3;
                max = Math.max(max, Math.abs((v >> 16 & 0xFF) - (theirs[i] & 0xFF)));
                max = Math.max(max, Math.abs((v >> 8 & 0xFF) - (theirs[i + 1] & 0xFF)));
                max = Math.max(max, Math.abs((v & 0xFF) - (theirs[i + 2] & 0xFF)));
            }
        }
        assertThat(max).isLessThanOrEqualTo(1);
    }
}
