package dev.steadfast.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the deflate writer left a deflated data set of odd length as it was; sent over the
 * network that is an odd P-DATA fragment, which dcmtk refuses. PS3.5 A.5 pads it to even length.
 */
class Issue13DeflatedLengthTest {
    @Test
    void everyDeflatedDataSetHasEvenLengthAndReadsBack() throws Exception {
        int wouldBeOdd = 0;
        for (int n = 1; n <= 40; n++) {
            Dataset ds = new Dataset().setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage)
                    .setString(Tag.SOPInstanceUID, VR.UI, "1.2.3." + n)
                    .setString(Tag.ImageComments, VR.LT, "x".repeat(n) + "abcdefghijklmnopqrstuvwxyz".substring(0, n % 26));
            byte[] deflated = DicomWriter.encode(ds, UID.DeflatedExplicitVRLittleEndian);
            assertThat(deflated.length % 2).as("deflated length for n=%d", n).isZero();
            assertThat(DicomReader.readDataset(new ByteArrayInputStream(deflated), UID.DeflatedExplicitVRLittleEndian)
                    .getString(Tag.ImageComments)).isEqualTo(ds.getString(Tag.ImageComments));
            wouldBeOdd += rawDeflateLength(DicomWriter.encode(ds, UID.ExplicitVRLittleEndian)) % 2;
        }
        assertThat(wouldBeOdd).as("data sets whose plain deflate stream is odd: the padding was exercised").isPositive();
    }

    private static int rawDeflateLength(byte[] plain) throws Exception {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DeflaterOutputStream dos = new DeflaterOutputStream(bos, d)) {
            dos.write(plain);
        } finally {
            d.end();
        }
        return bos.size();
    }
}
