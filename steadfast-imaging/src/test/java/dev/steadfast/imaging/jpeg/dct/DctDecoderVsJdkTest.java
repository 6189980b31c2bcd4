package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 8-bit baseline streams from the JDK's writer, with restart intervals and every common
 * sampling (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1) and awkward sizes, decode to exactly what the
 * JDK's reader (IJG 6b) gives and what dcmdjpeg gives once img2dcm wraps them.
 */
class DctDecoderVsJdkTest {

    @ParameterizedTest(name = "{0}x{1} colour={2} luma {3}x{4} DRI {5} q{6}")
    @CsvSource({
        "64,64,false,1,1,0,0.75", "67,45,false,1,1,1,0.75", "67,45,false,1,1,7,0.3", "1,1,false,1,1,1,0.75",
        "513,3,false,1,1,5,1.0", "64,64,true,1,1,0,0.75", "67,45,true,2,1,3,0.75", "67,45,true,2,2,2,0.75",
        "67,45,true,1,2,4,0.5", "67,45,true,4,1,1,0.9", "3,5,true,2,2,1,0.75", "200,150,true,2,2,13,0.2",
        "200,150,true,2,1,0,1.0"})
    void decodesLikeTheJdkReader(int w, int h, boolean colour, int hs, int vs, int dri, float q) throws Exception {
        byte[] jpeg = JdkJpegStreams.encode(JdkJpegStreams.image(w, h, colour, w * 31L + h), hs, vs, dri, q);
        assertThat(JdkJpegStreams.hasMarker(jpeg, 0xDD)).as("DRI written").isEqualTo(dri > 0);
        if (colour) {
            assertThat(JdkJpegStreams.lumaSampling(jpeg)).as("luma sampling written").isEqualTo(hs << 4 | vs);
        }
        DctImage ours = DctDecoder.decode(jpeg);
        assertThat(ours.columns()).isEqualTo(w);
        assertThat(ours.rows()).isEqualTo(h);
        assertThat(ours.precision()).isEqualTo(8);
        assertThat(ours.samples()).isEqualTo(JdkJpegStreams.jdkRaster(jpeg));
    }

    @ParameterizedTest(name = "luma {0}x{1} DRI {2}")
    @CsvSource({"1,1,4", "2,2,3", "2,1,1"})
    void restartIntervalsDecodeLikeDcmdjpeg(int hs, int vs, int dri, @TempDir Path tmp) throws Exception {
        Tools.require("img2dcm");
        byte[] jpeg = JdkJpegStreams.encode(JdkJpegStreams.image(123, 77, true, 9), hs, vs, dri, 0.8f);
        assertThat(JdkJpegStreams.hasMarker(jpeg, 0xD0)).as("RST0 written").isTrue();
        Path jpg = Files.write(tmp.resolve("restart.jpg"), jpeg);
        Path dcm = tmp.resolve("restart-" + hs + vs + dri + ".dcm");
        Tools.Result r = Tools.run("img2dcm", jpg.toString(), dcm.toString());
        assertThat(r.ok()).as("img2dcm: " + r.output()).isTrue();
        assertThat(DcmtkOracle.maxDifference(dcm, tmp)).isZero();
    }

    @ParameterizedTest(name = "gray DRI {0}")
    @CsvSource({"1", "40"})
    void grayRestartIntervalsDecodeLikeDcmdjpeg(int dri, @TempDir Path tmp) throws Exception {
        Tools.require("img2dcm");
        BufferedImage img = JdkJpegStreams.image(300, 41, false, 3);
        Path jpg = Files.write(tmp.resolve("gray.jpg"), JdkJpegStreams.encode(img, 1, 1, dri, 0.9f));
        Path dcm = tmp.resolve("gray-" + dri + ".dcm");
        assertThat(Tools.run("img2dcm", jpg.toString(), dcm.toString()).ok()).isTrue();
        assertThat(DcmtkOracle.maxDifference(dcm, tmp)).isZero();
    }

    /** One scan per component (non-interleaved), tables redefined between scans, restart intervals in some scans. */
    @ParameterizedTest(name = "{0}x{1} luma {2}x{3}")
    @CsvSource({"64,48,1,1", "67,45,2,2", "67,45,2,1", "33,70,1,2"})
    void scanPerComponentDecodesLikeTheJdkReaderAndDcmdjpeg(int w, int h, int hs, int vs, @TempDir Path tmp) throws Exception {
        byte[] jpeg = NonInterleavedStreams.build(w, h, hs, vs, new int[] {3, 0, 1}, w + h);
        assertThat(NonInterleavedStreams.scanCount(jpeg)).isEqualTo(3);
        DctImage ours = DctDecoder.decode(jpeg);
        assertThat(ours.samples()).isEqualTo(JdkJpegStreams.jdkRaster(jpeg));
        Tools.require("img2dcm");
        Path jpg = Files.write(tmp.resolve("scans.jpg"), jpeg);
        Path dcm = tmp.resolve("scans.dcm");
        Tools.Result r = Tools.run("img2dcm", jpg.toString(), dcm.toString());
        assertThat(r.ok()).as("img2dcm: " + r.output()).isTrue();
        assertThat(DcmtkOracle.maxDifference(dcm, tmp)).isZero();
    }
}
