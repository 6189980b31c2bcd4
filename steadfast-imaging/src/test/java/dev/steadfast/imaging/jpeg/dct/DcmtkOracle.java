package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.ImageDescriptor;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.Samples;
import dev.steadfast.imaging.testing.Tools;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes every frame of a JPEG DICOM file with {@link DctDecoder} and with dcmdjpeg, and compares raw samples. */
final class DcmtkOracle {
    private DcmtkOracle() {}

    /** The largest |difference| over all samples of all frames; dcmdjpeg runs with {@code +cn} (no colour conversion). */
    static int maxDifference(Path jpegDicom, Path tmp) throws Exception {
        Tools.require("dcmdjpeg");
        Path out = tmp.resolve("dcmdjpeg-" + jpegDicom.getFileName());
        Tools.Result r = Tools.run("dcmdjpeg", "+cn", jpegDicom.toString(), out.toString());
        assertThat(r.ok()).as("dcmdjpeg: " + r.output()).isTrue();
        DicomFile f = DicomReader.readFile(jpegDicom);
        DicomFile o = DicomReader.readFile(out);
        PixelData ours = PixelData.of(f.dataset(), f.transferSyntaxUid());
        PixelData oracle = PixelData.of(o.dataset(), o.transferSyntaxUid());
        ImageDescriptor od = oracle.decodedDescriptor();
        assertThat(ours.frameCount()).isEqualTo(oracle.frameCount());
        int max = 0;
        for (int i = 0; i < ours.frameCount(); i++) {
            DctImage img = DctDecoder.decode(ours.storedFrame(i));
            int[] b = Samples.read(oracle.decodedFrame(i), od);
            assertThat(img.rows()).isEqualTo(od.rows());
            assertThat(img.columns()).isEqualTo(od.columns());
            assertThat(img.samples()).hasSameSizeAs(b);
            int mask = (1 << od.bitsStored()) - 1;
            for (int k = 0; k < b.length; k++) {
                max = Math.max(max, Math.abs((img.samples()[k] & mask) - (b[k] & mask)));
            }
        }
        return max;
    }

    /** The same through {@code Codecs.standard()} (what the archive uses), against dcmdjpeg's default colour conversion. */
    static int maxDifferenceThroughCodec(Path jpegDicom, Path tmp) throws Exception {
        Path out = tmp.resolve("dcmdjpeg-default-" + jpegDicom.getFileName());
        Tools.Result r = Tools.run("dcmdjpeg", jpegDicom.toString(), out.toString());
        assertThat(r.ok()).as("dcmdjpeg: " + r.output()).isTrue();
        DicomFile f = DicomReader.readFile(jpegDicom);
        DicomFile o = DicomReader.readFile(out);
        PixelData ours = PixelData.of(f.dataset(), f.transferSyntaxUid());
        PixelData oracle = PixelData.of(o.dataset(), o.transferSyntaxUid());
        ImageDescriptor dd = ours.decodedDescriptor();
        ImageDescriptor od = oracle.decodedDescriptor();
        assertThat(dd.photometric()).isEqualTo(od.photometric());
        int max = 0;
        for (int i = 0; i < ours.frameCount(); i++) {
            int[] a = Samples.read(ours.decodedFrame(i), dd);
            int[] b = Samples.read(oracle.decodedFrame(i), od);
            assertThat(a).hasSameSizeAs(b);
            for (int k = 0; k < b.length; k++) {
                max = Math.max(max, Math.abs(a[k] - b[k]));
            }
        }
        return max;
    }
}
