package dev.steadfast.imaging.transcode;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.TranscodeOptions;
import dev.steadfast.imaging.Transcoder;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.testing.Corpus;
import dev.steadfast.imaging.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every encoder: native corpus images are transcoded, written, read back and decoded by us (exact
 * for lossless), and decoded by dcmtk or gdcm, the real-world receivers (exact for lossless, PSNR
 * of at least {@link #MIN_PSNR} dB for lossy).
 */
class TranscodeRoundTripTest {
    static final double MIN_PSNR = 30;
    static final List<String> SOURCES = List.of(
            "ct/dicomParser__CT1_UNC.explicit_big_endian.dcm",   // 16-bit signed, big endian
            "mr/pydicom-data__emri_small.dcm",                   // 12 of 16 bits, 10 frames
            "us/pydicom-data__US1_UNCR.dcm",                     // RGB 8-bit
            "us/pydicom-data__color-pl.dcm",                     // RGB planar configuration 1
            "charset/fo-dicom__chrX1.dcm");                      // 8-bit monochrome
    static final List<String> LOSSLESS = List.of("1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.8.1", "1.2.840.10008.1.2",
            "1.2.840.10008.1.2.2");

    static List<Arguments> lossless() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SOURCES) {
            for (String ts : LOSSLESS) {
                out.add(Arguments.of(s, ts));
            }
        }
        return out;
    }

    static List<Arguments> lossy() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SOURCES) {
            out.add(Arguments.of(s, "1.2.840.10008.1.2.4.91"));
        }
        out.add(Arguments.of("us/pydicom-data__US1_UNCR.dcm", "1.2.840.10008.1.2.4.50"));
        out.add(Arguments.of("charset/fo-dicom__chrX1.dcm", "1.2.840.10008.1.2.4.50"));
        return out;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("lossless")
    void losslessRoundTripIsExactForUsAndForDcmtkOrGdcm(String name, String ts, @TempDir Path tmp) throws Exception {
        DicomFile src = DicomReader.readFile(Corpus.root().resolve(name));
        Path file = write(src, ts, TranscodeOptions.LOSSLESS_ONLY, tmp);
        DicomFile back = DicomReader.readFile(file);
        assertThat(back.transferSyntaxUid()).isEqualTo(ts);
        assertThat(back.dataset().getString(Tag.SOPInstanceUID)).isEqualTo(src.dataset().getString(Tag.SOPInstanceUID));
        assertThat(back.dataset().contains(Tag.LossyImageCompressionMethod)).isFalse();
        assertKeepsEveryNonPixelAttribute(src.dataset(), back.dataset());
        assertThat(maxDiff(src, back)).as("our decoder").isZero();
        if (!ts.equals("1.2.840.10008.1.2.8.1")) { // neither dcmtk 3.6.7 nor gdcm 3.0 knows this syntax
            Path oracle = Tools.decompress(file, ts, tmp);
            assertThat(oracle).as("dcmtk/gdcm decoded our output").isNotNull();
            assertThat(maxDiff(src, DicomReader.readFile(oracle))).as("dcmtk/gdcm decoder").isZero();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("lossy")
    void lossyOutputIsMarkedAndCloseForDcmtkOrGdcm(String name, String ts, @TempDir Path tmp) throws Exception {
        DicomFile src = DicomReader.readFile(Corpus.root().resolve(name));
        assertThatThrownBy(() -> new Transcoder().transcode(src.dataset(), src.transferSyntaxUid(), ts, TranscodeOptions.LOSSLESS_ONLY))
                .isInstanceOf(UnsupportedTransferSyntaxException.class).hasMessageContaining("lossy");
        Path file = write(src, ts, TranscodeOptions.lossy(90, 8), tmp);
        DicomFile back = DicomReader.readFile(file);
        Dataset ds = back.dataset();
        assertThat(ds.getString(Tag.LossyImageCompression)).isEqualTo("01");
        assertThat(ds.getString(Tag.LossyImageCompressionMethod)).startsWith("ISO_");
        assertThat(ds.getDouble(Tag.LossyImageCompressionRatio, 0)).isGreaterThan(1);
        assertThat(psnr(src, back)).as("our decoder").isGreaterThan(MIN_PSNR);
        Path oracle = Tools.decompress(file, ts, tmp);
        assertThat(oracle).as("dcmtk/gdcm decoded our output").isNotNull();
        assertThat(psnr(src, DicomReader.readFile(oracle))).as("dcmtk/gdcm decoder").isGreaterThan(MIN_PSNR);
    }

    @Test
    void refusesToEncodeWhatTheCodecCannotRepresent() throws Exception {
        DicomFile src = DicomReader.readFile(Corpus.root().resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
        assertThatThrownBy(() -> new Transcoder().transcode(src.dataset(), src.transferSyntaxUid(), "1.2.840.10008.1.2.4.50",
                TranscodeOptions.lossy(90, 10))).isInstanceOf(UnsupportedTransferSyntaxException.class).hasMessageContaining("cannot encode");
        assertThatThrownBy(() -> new Transcoder().transcode(src.dataset(), src.transferSyntaxUid(), "1.2.840.10008.1.2.4.201",
                TranscodeOptions.lossy(90, 10))).isInstanceOf(UnsupportedTransferSyntaxException.class).hasMessageContaining("cannot be transcoded");
    }

    @Test
    void passThroughSyntaxesAreServedAsStoredButNotTranscoded() throws Exception {
        DicomFile src = DicomReader.readFile(Corpus.root().resolve("us/dcm4che__will-jxl.dcm"));
        Dataset same = new Transcoder().transcode(src.dataset(), src.transferSyntaxUid(), src.transferSyntaxUid(), TranscodeOptions.LOSSLESS_ONLY);
        assertThat(same.get(Tag.PixelData).value()).isSameAs(src.dataset().get(Tag.PixelData).value());
        assertThatThrownBy(() -> new Transcoder().transcode(src.dataset(), src.transferSyntaxUid(), "1.2.840.10008.1.2.1",
                TranscodeOptions.LOSSLESS_ONLY)).isInstanceOf(UnsupportedTransferSyntaxException.class)
                .hasMessageContaining("1.2.840.10008.1.2.4.111");
    }

    static final java.util.Set<Integer> PIXEL_MODULE_CHANGES = java.util.Set.of(Tag.PixelData, Tag.PhotometricInterpretation,
            Tag.PlanarConfiguration, Tag.ExtendedOffsetTable, Tag.ExtendedOffsetTableLengths);

    static void assertKeepsEveryNonPixelAttribute(Dataset before, Dataset after) {
        for (dev.steadfast.dicom.Element e : before) {
            if (PIXEL_MODULE_CHANGES.contains(e.tag())) {
                continue;
            }
            assertThat(after.contains(e.tag())).as("kept %s", Tag.toString(e.tag())).isTrue();
            if (e.bytes() != null && !e.bigEndian() && !after.get(e.tag()).bigEndian()) {
                assertThat(after.get(e.tag()).bytes()).as("value of %s", Tag.toString(e.tag())).isEqualTo(e.bytes());
            }
        }
    }

    static Path write(DicomFile src, String ts, TranscodeOptions opts, Path tmp) throws Exception {
        Path file = tmp.resolve("ours.dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            new Transcoder().writeFile(out, src.dataset(), src.transferSyntaxUid(), ts, opts);
        }
        return file;
    }

    static int maxDiff(DicomFile a, DicomFile b) throws Exception {
        int max = 0;
        for (int[][] p : pairs(a, b)) {
            for (int i = 0; i < p[0].length; i++) {
                max = Math.max(max, Math.abs(p[0][i] - p[1][i]));
            }
        }
        return max;
    }

    static double psnr(DicomFile a, DicomFile b) throws Exception {
        double se = 0;
        long n = 0;
        for (int[][] p : pairs(a, b)) {
            for (int i = 0; i < p[0].length; i++) {
                double d = p[0][i] - p[1][i];
                se += d * d;
                n++;
            }
        }
        int bits = ImageDescriptor.of(a.dataset()).bitsStored();
        double peak = (1 << bits) - 1;
        return se == 0 ? 99 : 10 * Math.log10(peak * peak / (se / n));
    }

    private static List<int[][]> pairs(DicomFile a, DicomFile b) throws Exception {
        PixelData pa = PixelData.of(a.dataset(), a.transferSyntaxUid());
        PixelData pb = PixelData.of(b.dataset(), b.transferSyntaxUid());
        assertThat(pb.frameCount()).isEqualTo(pa.frameCount());
        ImageDescriptor da = pa.decodedDescriptor();
        ImageDescriptor db = pb.decodedDescriptor();
        assertThat(db.photometric()).isIn(da.photometric(), "RGB", "YBR_FULL");
        List<int[][]> out = new ArrayList<>();
        for (int i = 0; i < pa.frameCount(); i++) {
            out.add(new int[][] {Samples.read(pa.decodedFrame(i), da), Samples.read(pb.decodedFrame(i), db)});
        }
        return out;
    }
}
