package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Real-world defects a reader must get past, as dcmtk (+Ep) and pydicom do. */
class MalformedButReadableTest {

    private static byte[] hex(String s) {
        s = s.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void strayDelimiterInsideADefinedLengthSequenceIsSkipped() throws Exception {
        // (0040,A730) SQ length 16: an empty item, then (FFFE,E0DD) with length 0 (Philips writes this).
        byte[] bytes = hex("4000 30A7 5351 0000 10000000 FEFF 00E0 00000000 FEFF DDE0 00000000"
                + "1000 1000 504E 0400 446F 655E");
        Dataset ds = DicomReader.readDataset(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian);
        assertThat(ds.getSequence(Tag.ContentSequence).size()).isEqualTo(1);
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("Doe^");
    }

    @Test
    void strayDelimiterAtTopLevelIsSkipped() throws Exception {
        byte[] bytes = hex("FEFF DDE0 00000000 1000 1000 504E 0400 446F 655E");
        Dataset ds = DicomReader.readDataset(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian);
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("Doe^");
    }

    @Test
    void implicitValueInAnSqTagThatIsNotItemsIsKeptAsUnknownBytes() throws Exception {
        // (0040,A170) is SQ in the dictionary, but this writer put CS text there.
        byte[] bytes = hex("4000 70A1 0A000000 4E414D4544205459 5045");
        Dataset ds = DicomReader.readDataset(new ByteArrayInputStream(bytes), UID.ImplicitVRLittleEndian);
        assertThat(ds.get(0x0040A170).vr().name()).isEqualTo("UN");
        assertThat(new String(ds.getBytes(0x0040A170))).isEqualTo("NAMED TYPE");
    }
}
