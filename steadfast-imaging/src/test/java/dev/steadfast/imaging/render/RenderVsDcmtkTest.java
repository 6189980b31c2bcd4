package dev.steadfast.imaging.render;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.testing.Corpus;
import dev.steadfast.imaging.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our rendering equals dcmtk's dcmj2pnm for the same window within {@link #TOLERANCE} grey levels
 * per sample (rounding of the window formula and of YBR conversion), over CT, MR, CR/DX
 * (MONOCHROME1), US (RGB, YBR_FULL_422, JPEG multi-frame), palette colour, LUT sequences and overlays.
 */
class RenderVsDcmtkTest {
    static final int TOLERANCE = 1;

    static List<Arguments> cases() {
        RenderOptions def = RenderOptions.DEFAULT;
        return List.of(
                Arguments.of("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm", 0, List.of("+Ww", "40", "400"), def.withWindow(40, 400)),
                Arguments.of("ct/dicomParser__CT1_UNC.explicit_big_endian.dcm", 0, List.of("+Ww", "-600", "1500"), def.withWindow(-600, 1500)),
                Arguments.of("ct/dicompyler__ct.0.dcm", 0, List.of("+Wi", "1"), def),
                Arguments.of("mr/pydicom-data__MR2_UNCR.dcm", 0, List.of("+Wi", "1"), def),
                Arguments.of("mr/pydicom-data__MR-SIEMENS-DICOM-WithOverlays.dcm", 0, List.of("+Wi", "1"), def),
                Arguments.of("xray/fo-dicom__CR-MONO1-10-chest.dcm", 0, List.of("+Wi", "1"), def),
                Arguments.of("xray/highdicom__dx_image.dcm", 0, List.of("+Wi", "1"), def),
                Arguments.of("us/pydicom-data__US1_UNCR.dcm", 0, List.of(), def),
                Arguments.of("us/dcm4che__YBR_422.dcm", 0, List.of(), def),
                Arguments.of("us/dicomParser__IM00001.fragmented_no_bot_jpeg_baseline.50.dcm", 0, List.of(), def),
                Arguments.of("sc/pydicom-data__OT-PAL-8-face.dcm", 0, List.of(), def),
                Arguments.of("sc/pydicom-data__vlut_04.dcm", 0, List.of("+Wl", "1"), def),
                Arguments.of("sc/pydicom-data__mlut_18.dcm", 0, List.of("+Ww", "2000", "4000"), def.withWindow(2000, 4000)),
                Arguments.of("nm_pt/dcm4che__NM-MONO2-16-13x-heart.dcm", 5, List.of("+F", "6", "+Wi", "1"), def),
                Arguments.of("xray/fo-dicom__CR-ModalitySequenceLUT.dcm", 0, List.of("+Ww", "2000", "3000"), def.withWindow(2000, 3000)),
                Arguments.of("mr/dcm_qa_enh__6_1.dcm", 3, List.of("+F", "4", "+Ww", "600", "1200"), def.withWindow(600, 1200)),
                Arguments.of("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm", 0,
                        List.of("+Ww", "40", "400", "+Wfs"), def.withWindow(40, 400).withFunction(WindowFunction.SIGMOID)));
    }

    @ParameterizedTest(name = "{0} frame {1} {2}")
    @MethodSource("cases")
    void rendersLikeDcmj2pnm(String name, int frame, List<String> dcmtkArgs, RenderOptions opts, @TempDir Path tmp) throws Exception {
        Tools.require("dcmj2pnm");
        Path in = Corpus.root().resolve(name);
        Path out = tmp.resolve("dcmtk.pnm");
        List<String> cmd = new ArrayList<>(List.of("dcmj2pnm"));
        cmd.addAll(dcmtkArgs);
        cmd.add(in.toString());
        cmd.add(out.toString());
        Tools.Result r = Tools.run(cmd.toArray(String[]::new));
        assertThat(r.ok()).as("dcmj2pnm: " + r.output()).isTrue();
        int[][] theirs = readPnm(out);
        DicomFile f = DicomReader.readFile(in);
        BufferedImage ours = Renderer.render(f.dataset(), f.transferSyntaxUid(), frame, opts);
        assertThat(ours.getWidth()).isEqualTo(theirs[0][0]);
        assertThat(ours.getHeight()).isEqualTo(theirs[0][1]);
        boolean rgb = theirs[0][2] == 3;
        int max = 0;
        int over = 0;
        int[] px = theirs[1];
        for (int y = 0; y < ours.getHeight(); y++) {
            for (int x = 0; x < ours.getWidth(); x++) {
                int i = y * ours.getWidth() + x;
                int[] a = ours.getRaster().getPixel(x, y, (int[]) null); // getRGB would gamma-map grey
                if (rgb && a.length == 1) {
                    int v = a[0];
                    a = new int[] {v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF};
                }
                for (int c = 0; c < a.length; c++) {
                    int d = Math.abs(a[c] - px[i * a.length + c]);
                    max = Math.max(max, d);
                    over += d > TOLERANCE ? 1 : 0;
                }
            }
        }
        assertThat(max).as("max |diff| (%d samples over tolerance)", over).isLessThanOrEqualTo(TOLERANCE);
    }

    /** {width, height, channels} and the samples of a binary PGM/PPM. */
    static int[][] readPnm(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        int[] pos = {0};
        String magic = token(b, pos);
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int maxVal = Integer.parseInt(token(b, pos));
        pos[0]++;
        int ch = magic.equals("P6") ? 3 : 1;
        assertThat(maxVal).isEqualTo(255);
        int[] px = new int[w * h * ch];
        for (int i = 0; i < px.length; i++) {
            px[i] = b[pos[0] + i] & 0xFF;
        }
        return new int[][] {{w, h, ch}, px};
    }

    private static String token(byte[] b, int[] pos) {
        while (Character.isWhitespace(b[pos[0]]) || b[pos[0]] == '#') {
            if (b[pos[0]] == '#') {
                while (b[pos[0]] != '\n') {
                    pos[0]++;
                }
            }
            pos[0]++;
        }
        int start = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) {
            pos[0]++;
        }
        return new String(b, start, pos[0] - start);
    }
}
