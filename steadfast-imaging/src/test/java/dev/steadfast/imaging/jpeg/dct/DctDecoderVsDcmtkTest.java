package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.testing.Corpus;
import dev.steadfast.imaging.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our decoder against dcmtk's (IJG 6b, islow IDCT, fancy upsampling) on real and generated
 * JPEG extended files: the same integer arithmetic gives the same samples, so the tolerance is 0.
 */
class DctDecoderVsDcmtkTest {
    static final String EXTENDED = "1.2.840.10008.1.2.4.51";
    static final String CT1 = "ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";
    static final String US_RGB = "us/pydicom-data__US1_UNCR.dcm";
    static final String CT0012_LOSSLESS = "ct/dicomParser__CT0012.fragmented_no_bot_jpeg_lossless.57.dcm";

    static List<Corpus.Entry> extendedCorpusFiles() {
        return Corpus.wellFormed().stream().filter(e -> e.transferSyntaxUid().equals(EXTENDED)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extendedCorpusFiles")
    void corpusFilesDecodeLikeDcmdjpeg(Corpus.Entry e, @TempDir Path tmp) throws Exception {
        assertThat(DcmtkOracle.maxDifference(e.path(), tmp)).isZero();
    }

    /** 12-bit SOF1 files made by dcmcjpeg from native CT (scaled to 12 bits by dcmtk), at several qualities. */
    @ParameterizedTest(name = "dcmcjpeg {0}")
    @ValueSource(strings = {"+ee", "+ee +q 100", "+ee +q 25", "+ee +sm 40", "+ee +q 75 -ho"})
    void twelveBitFilesFromDcmcjpegDecodeLikeDcmdjpeg(String options, @TempDir Path tmp) throws Exception {
        for (String source : List.of(CT1, CT0012_LOSSLESS)) {
            Path jpeg = encode(Corpus.root().resolve(source), options, tmp);
            assertThat(DcmtkOracle.maxDifference(jpeg, tmp)).as(source + " " + options).isZero();
        }
    }

    /** 12-bit colour (dcmcjpeg +bt from 8-bit RGB ultrasound) in each subsampling, raw and through the codec's RGB conversion. */
    @ParameterizedTest(name = "dcmcjpeg {0}")
    @ValueSource(strings = {"+ee +bt", "+ee +bt +s4", "+ee +bt +n1", "+ee +bt +q 100"})
    void twelveBitColourDecodesLikeDcmdjpeg(String options, @TempDir Path tmp) throws Exception {
        Path jpeg = encode(Corpus.root().resolve(US_RGB), options, tmp);
        assertThat(DcmtkOracle.maxDifference(jpeg, tmp)).as("raw YCbCr").isZero();
        assertThat(DcmtkOracle.maxDifferenceThroughCodec(jpeg, tmp)).as("RGB after the codec's conversion").isZero();
    }

    static Path encode(Path in, String options, Path tmp) throws Exception {
        Tools.require("dcmcjpeg");
        Path out = tmp.resolve("dcmcjpeg-" + in.getFileName());
        List<String> cmd = new java.util.ArrayList<>(List.of("dcmcjpeg"));
        cmd.addAll(List.of(options.split(" ")));
        cmd.addAll(List.of(in.toString(), out.toString()));
        Tools.Result r = Tools.run(cmd.toArray(String[]::new));
        assertThat(r.ok()).as(String.join(" ", cmd) + ": " + r.output()).isTrue();
        return out;
    }
}
