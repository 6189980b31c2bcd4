package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Writing in each uncompressed syntax and deflate, then reading back, gives the same values. */
class TransferSyntaxConversionTest {

    private static final String[] SYNTAXES = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian,
            UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian};

    static Dataset sample() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.1");
        ds.setString(Tag.PatientName, VR.PN, "Österreicher^Zoë");
        ds.setString(Tag.StudyDescription, VR.LO, "CT THORAX");
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setDouble(0x00189306, VR.FD, 1.25); // Single Collimation Width
        ds.setLong(0x00720082, VR.SV, -3L);
        Sequence seq = ds.newSequence(Tag.ReferencedImageSequence);
        Dataset item = seq.addItem();
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4");
        Dataset defined = seq.addItem();
        defined.setUndefinedLength(false);
        defined.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.5");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 0, 2, 0, 3, 0, (byte) 0xFF, 0x7F});
        return ds;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void writeAndReadBackKeepsEveryValue(int i) throws Exception {
        String ts = SYNTAXES[i];
        Dataset ds = sample();
        Dataset back = DicomReader.readDataset(new ByteArrayInputStream(DicomWriter.encode(ds, ts)), ts);
        assertThat(back.getString(Tag.PatientName)).isEqualTo("Österreicher^Zoë");
        assertThat(back.getInt(Tag.Rows, 0)).isEqualTo(2);
        assertThat(back.getDouble(0x00189306, 0)).isEqualTo(1.25);
        assertThat(back.getLongs(0x00720082)).containsExactly(-3L);
        assertThat(back.getSequence(Tag.ReferencedImageSequence).size()).isEqualTo(2);
        assertThat(back.getSequence(Tag.ReferencedImageSequence).get(1).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo("1.2.3.5");
        assertThat(back.getInts(Tag.PixelData)).containsExactly(1, 2, 3, 0x7FFF);
        // And writing the read-back data set again in the same syntax gives the same bytes.
        assertThat(DicomWriter.encode(back, ts)).isEqualTo(DicomWriter.encode(ds, ts));
    }

    @Test
    void bigEndianFileConvertsToLittleEndianWithTheSamePixelValues() throws Exception {
        Path root = Corpus.root();
        DicomFile be = DicomReader.readFile(root.resolve("ct/dicomParser__CT1_UNC.explicit_big_endian.dcm"));
        DicomFile le = DicomReader.readFile(root.resolve("ct/dicomParser__CT1_UNC.explicit_little_endian.dcm"));
        byte[] converted = DicomWriter.encode(be.dataset(), UID.ExplicitVRLittleEndian);
        Dataset back = DicomReader.readDataset(new ByteArrayInputStream(converted), UID.ExplicitVRLittleEndian);
        assertThat(back.getBytes(Tag.PixelData)).isEqualTo(le.dataset().getBytes(Tag.PixelData));
        assertThat(back.getInts(Tag.Rows)).containsExactly(512);
        for (Element e : le.dataset()) {
            if (e.vr().isString()) {
                assertThat(back.getStrings(e.tag())).as(Tag.toString(e.tag())).isEqualTo(le.dataset().getStrings(e.tag()));
            }
        }
    }

    @Test
    void part10FileHasACorrectMetaGroupAndReadsBack() throws Exception {
        Dataset ds = sample();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian);
        byte[] file = out.toByteArray();
        assertThat(new String(file, 128, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DICM");
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(file));
        FileMeta meta = DicomReader.readFileMeta(in);
        assertThat(meta.transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
        assertThat(meta.mediaStorageSopInstanceUid()).isEqualTo("1.2.826.0.1.3680043.2.1125.1");
        assertThat(meta.mediaStorageSopClassUid()).isEqualTo(UID.CTImageStorage);
        long groupLength = meta.attributes().getLongs(Tag.FileMetaInformationGroupLength)[0];
        assertThat(meta.datasetOffset()).isEqualTo(132 + 12 + groupLength);
        // The stream is left exactly at the first data set byte.
        assertThat(in.readAllBytes()).isEqualTo(DicomWriter.encode(ds, UID.ExplicitVRLittleEndian));
    }
}
