package dev.steadfast.imaging.codec;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.UnsupportedTransferSyntaxException;
import dev.steadfast.testing.Corpus;
import dev.steadfast.imaging.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every compressed corpus file decodes to the values an independent decoder (dcmtk's dcmdjpeg,
 * dcmdjpls, dcmdrle, else gdcmconv --raw) produces, compared masked to Bits Stored: bit-exact for
 * lossless syntaxes and for JPEG-LS near-lossless (its decoding is deterministic), within
 * {@link #LOSSY_TOLERANCE} for lossy JPEG and JPEG 2000.
 */
class CorpusDecodeOracleTest {
    /** Max |difference| per sample: IDCT/colour rounding (JPEG) and wavelet rounding (J2K vs OpenJPEG); 1-2 observed. */
    static final Map<String, Integer> LOSSY_TOLERANCE = Map.of(
            "1.2.840.10008.1.2.4.50", 2, "1.2.840.10008.1.2.4.51", 2, "1.2.840.10008.1.2.4.91", 2);

    /** Files no oracle can decode (dcmtk and gdcm both refuse them). */
    static final List<String> NO_ORACLE = List.of("us/fo-dicom__DIRW0007.dcm", "seg_pm/pydicom-data__liver_nonbyte_aligned_rle.dcm",
            "seg_pm/pydicom-data__liver_deflate.dcm");

    static List<Corpus.Entry> compressed() {
        return Corpus.wellFormed().stream()
                .filter(e -> !e.transferSyntaxUid().isEmpty() && (e.transferSyntaxUid().startsWith("1.2.840.10008.1.2.4.")
                        || e.transferSyntaxUid().equals("1.2.840.10008.1.2.5") || e.transferSyntaxUid().equals("1.2.840.10008.1.2.8.1")))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressed")
    void decodesLikeTheOracle(Corpus.Entry entry, @TempDir Path tmp) throws Exception {
        DicomFile f = DicomReader.readFile(entry.path());
        String ts = f.transferSyntaxUid();
        PixelData ours = PixelData.of(f.dataset(), ts);
        if (CodecRegistry.PASS_THROUGH.contains(ts)) {
            assertThatThrownBy(() -> ours.decodedFrame(0)).isInstanceOf(UnsupportedTransferSyntaxException.class)
                    .hasMessageContaining("cannot be transcoded");
            return;
        }
        if (NO_ORACLE.contains(entry.name())) {
            for (int i = 0; i < ours.frameCount(); i++) {
                assertThat(ours.decodedFrame(i)).hasSizeGreaterThanOrEqualTo(ours.decodedDescriptor().frameLength());
            }
            return;
        }
        Path oracleFile = Tools.decompress(entry.path(), ts, tmp);
        assertThat(oracleFile).as("oracle output").isNotNull();
        DicomFile o = DicomReader.readFile(oracleFile);
        PixelData oracle = PixelData.of(o.dataset(), o.transferSyntaxUid());
        ImageDescriptor od = oracle.decodedDescriptor();
        ImageDescriptor dd = ours.decodedDescriptor();
        assertThat(dd.photometric()).as("photometric after decoding").isEqualTo(od.photometric());
        assertThat(ours.frameCount()).isEqualTo(oracle.frameCount());
        int tolerance = LOSSY_TOLERANCE.getOrDefault(ts, 0);
        for (int i = 0; i < ours.frameCount(); i++) {
            if (croppedJpegTile(ours.storedFrame(i), dd)) {
                continue; // we place a smaller codestream top-left; dcmtk copies its rows end to end
            }
            int[] a = Samples.read(ours.decodedFrame(i), dd);
            int[] b = Samples.read(oracle.decodedFrame(i), od);
            assertThat(a.length).isEqualTo(b.length);
            int maxDiff = 0;
            int at = -1;
            for (int k = 0; k < a.length; k++) {
                int d = Math.abs(a[k] - b[k]);
                if (d > maxDiff) {
                    maxDiff = d;
                    at = k;
                }
            }
            assertThat(maxDiff).as("frame %d max |diff| (first at sample %d)", i + 1, at).isLessThanOrEqualTo(tolerance);
        }
    }

    /** A baseline JPEG frame whose SOF0 size is smaller than the frame (real WSI edge tiles). */
    static boolean croppedJpegTile(byte[] frame, ImageDescriptor d) {
        for (int i = 0; i + 9 < frame.length; i++) {
            if ((frame[i] & 0xFF) == 0xFF && (frame[i + 1] & 0xFF) == 0xC0) {
                int h = (frame[i + 5] & 0xFF) << 8 | (frame[i + 6] & 0xFF);
                int w = (frame[i + 7] & 0xFF) << 8 | (frame[i + 8] & 0xFF);
                return h != d.rows() || w != d.columns();
            }
        }
        return false;
    }
}
