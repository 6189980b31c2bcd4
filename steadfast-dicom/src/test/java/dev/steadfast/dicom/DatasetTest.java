package dev.steadfast.dicom;

import dev.steadfast.dicom.value.PersonName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetTest {

    @Test
    void elementsStayInTagOrderWhateverTheInsertionOrder() {
        Dataset ds = new Dataset();
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2});
        ds.setString(Tag.PatientID, VR.LO, "P1");
        ds.setBytes(0xFFFAFFFA, VR.UN, new byte[] {1, 2}); // sorts last: tags compare unsigned
        assertThat(ds.tags()).containsExactly(Tag.SOPInstanceUID, Tag.PatientName, Tag.PatientID, Tag.PixelData, 0xFFFAFFFA);
    }

    @Test
    void replacingAndRemovingKeepOrder() {
        Dataset ds = new Dataset();
        ds.setString(Tag.PatientID, VR.LO, "A");
        ds.setString(Tag.PatientID, VR.LO, "B");
        assertThat(ds.size()).isEqualTo(1);
        assertThat(ds.getString(Tag.PatientID)).isEqualTo("B");
        assertThat(ds.remove(Tag.PatientID)).isNotNull();
        assertThat(ds.contains(Tag.PatientID)).isFalse();
        assertThat(ds.getString(Tag.PatientID, "none")).isEqualTo("none");
    }

    @Test
    void stringValuesAreSplitAndPaddingIsTrimmed() {
        Dataset ds = new Dataset();
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3"); // odd length: padded with NUL
        assertThat(ds.getBytes(Tag.SOPInstanceUID)).hasSize(6).endsWith(0);
        assertThat(ds.getStrings(Tag.ImageType)).containsExactly("ORIGINAL", "PRIMARY", "AXIAL");
        assertThat(ds.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3");
    }

    @Test
    void numbersFromBinaryAndTextVRs() {
        Dataset ds = new Dataset();
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.SmallestImagePixelValue, VR.SS, -1024);
        ds.setString(Tag.InstanceNumber, VR.IS, " 42");
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.25");
        ds.setDouble(Tag.RescaleSlope, VR.DS, 1.0);
        ds.setLong(0x00720082, VR.SV, -5_000_000_000L);
        ds.setLong(0x00720083, VR.UV, 5_000_000_000L);
        assertThat(ds.getInt(Tag.Rows, 0)).isEqualTo(512);
        assertThat(ds.getInt(Tag.SmallestImagePixelValue, 0)).isEqualTo(-1024);
        assertThat(ds.getInt(Tag.InstanceNumber, 0)).isEqualTo(42);
        assertThat(ds.getDoubles(Tag.PixelSpacing)).containsExactly(0.5, 0.25);
        assertThat(ds.getString(Tag.RescaleSlope)).isEqualTo("1");
        assertThat(ds.getLongs(0x00720082)).containsExactly(-5_000_000_000L);
        assertThat(ds.getLongs(0x00720083)).containsExactly(5_000_000_000L);
        assertThat(ds.getInt(Tag.Columns, -1)).as("absent").isEqualTo(-1);
    }

    @Test
    void invalidNumberTextGivesTheDefaultNotAnException() {
        Dataset ds = new Dataset();
        ds.setString(Tag.InstanceNumber, VR.IS, "abc");
        assertThat(ds.getInt(Tag.InstanceNumber, 7)).isEqualTo(7);
    }

    @Test
    void datesAndTimesWithTheirPrecision() {
        Dataset ds = new Dataset();
        ds.setString(Tag.StudyDate, VR.DA, "20240229");
        ds.setString(Tag.StudyTime, VR.TM, "1405");
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20240229140512.123456+0100");
        ds.setString(Tag.ContentDate, VR.DA, "1993.08.22");
        assertThat(ds.getDate(Tag.StudyDate)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(ds.getTime(Tag.StudyTime)).isEqualTo(LocalTime.of(14, 5));
        assertThat(ds.getDateTime(Tag.AcquisitionDateTime)).isEqualTo(
                OffsetDateTime.of(2024, 2, 29, 14, 5, 12, 123_456_000, ZoneOffset.ofHours(1)));
        assertThat(ds.getDate(Tag.ContentDate)).as("ACR-NEMA form").isEqualTo(LocalDate.of(1993, 8, 22));
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "2024");
        assertThat(ds.getDateTime(Tag.AcquisitionDateTime)).isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
        ds.setString(Tag.StudyDate, VR.DA, "20241301");
        assertThat(ds.getDate(Tag.StudyDate)).as("month 13").isNull();
    }

    @Test
    void personNameComponentGroups() {
        Dataset ds = new Dataset();
        ds.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        PersonName pn = ds.getPersonName(Tag.PatientName);
        assertThat(pn.familyName()).isEqualTo("Yamada");
        assertThat(pn.givenName()).isEqualTo("Tarou");
        assertThat(pn.ideographic()).isEqualTo("山田^太郎");
        assertThat(pn.phonetic()).isEqualTo("やまだ^たろう");
        assertThat(pn.toString()).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
    }

    @Test
    void itemsInheritTheCharacterSetOfTheirDataset() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        Sequence seq = ds.newSequence(Tag.ReferencedStudySequence);
        Dataset item = seq.addItem();
        item.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        assertThat(item.getBytes(Tag.PatientName)).contains((byte) 0xFC);
        assertThat(item.getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");
        assertThat(ds.getSequence(Tag.ReferencedStudySequence).get(0).parent()).isSameAs(ds);
    }

    @Test
    void copyIsDeep() {
        Dataset ds = new Dataset();
        ds.newSequence(Tag.ReferencedStudySequence).addItem().setString(Tag.StudyInstanceUID, VR.UI, "1.2");
        Dataset copy = ds.copy();
        copy.getSequence(Tag.ReferencedStudySequence).get(0).setString(Tag.StudyInstanceUID, VR.UI, "9.9");
        assertThat(ds.getSequence(Tag.ReferencedStudySequence).get(0).getString(Tag.StudyInstanceUID)).isEqualTo("1.2");
    }

    @Test
    void standardTagsReadAsUnknownVrAreDecodedWithTheirDictionaryVr() {
        Dataset ds = new Dataset();
        ds.setBytes(Tag.StudyInstanceUID, VR.UN, "1.2.840.5\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ds.setBytes(Tag.Rows, VR.UN, new byte[] {0, 2});
        ds.setBytes(0x00091001, VR.UN, "abcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo("1.2.840.5");
        assertThat(ds.getInt(Tag.Rows, 0)).isEqualTo(512);
        assertThat(ds.getString(0x00091001)).as("private: no dictionary VR").isNull();
        assertThat(ds.get(Tag.Rows).vr()).as("kept as found").isEqualTo(VR.UN);
    }

    @Test
    void numericGettersOnTextOrBinaryValuesGiveTheDefault() {
        Dataset ds = new Dataset();
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        ds.setBytes(0x00091001, VR.UN, new byte[] {1, 2, 3, 4});
        ds.setBytes(Tag.RescaleSlope, VR.UN, "1 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(ds.getInt(Tag.PatientName, -1)).isEqualTo(-1);
        assertThat(ds.getDouble(0x00091001, -1)).isEqualTo(-1);
        assertThat(ds.getDouble(Tag.RescaleSlope, 0)).as("UN decoded as its dictionary VR DS").isEqualTo(1.0);
    }
}
