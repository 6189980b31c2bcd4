package dev.steadfast.dicom.json;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DicomJsonWriterTest {

    /** One element of every VR, nested sequences, empty values and a three-group PN. */
    static Dataset everyVR() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.RetrieveAETitle, VR.AE, "ARCHIVE");
        ds.setString(Tag.PatientAge, VR.AS, "042Y");
        ds.setLong(Tag.FrameIncrementPointer, VR.AT, 0x00181063L, 0x7FE00010L);
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "", "AXIAL");
        ds.setString(Tag.StudyDate, VR.DA, "20240131");
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "+.25");
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20240131101010.123456+0100");
        ds.setDouble(Tag.SliceLocationVector, VR.FD, 1.5, -0.0, Double.NaN);
        ds.setDouble(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 0.1, Double.POSITIVE_INFINITY);
        ds.setString(Tag.InstanceNumber, VR.IS, "007");
        ds.setString(Tag.PatientID, VR.LO, "ID\u00e9");
        ds.setString(Tag.AdditionalPatientHistory, VR.LT, "line one\r\nline \\ two \"quoted\"");
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, new byte[] {1, 2, 3, 4});
        ds.setBytes(Tag.DoubleFloatPixelData, VR.OD, new byte[16]);
        ds.setBytes(Tag.FloatPixelData, VR.OF, new byte[8]);
        ds.setBytes(Tag.LongPrimitivePointIndexList, VR.OL, new byte[8]);
        ds.setBytes(Tag.ExtendedOffsetTable, VR.OV, new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
        ds.setBytes(Tag.RedPaletteColorLookupTableData, VR.OW, new byte[2048]);
        ds.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", "", "Doe^John");
        ds.setString(Tag.StationName, VR.SH, "CT\u00fc1");
        ds.setLong(Tag.ReferencePixelX0, VR.SL, -5, Integer.MAX_VALUE);
        ds.setLong(Tag.TagAngleSecondAxis, VR.SS, -32768);
        ds.setString(Tag.StudyComments, VR.ST, "short text");
        ds.setLong(Tag.SelectorSVValue, VR.SV, -1, Long.MIN_VALUE, (1L << 53) - 1);
        ds.setString(Tag.StudyTime, VR.TM, "101010.5");
        ds.setString(Tag.StrainAdditionalInformation, VR.UC, "unlimited characters");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
        ds.setLong(Tag.SimpleFrameList, VR.UL, 0xFFFFFFFFL);
        ds.setBytes(0x00091010, VR.UN, new byte[] {9, 8, 7});
        ds.setString(Tag.RetrieveURL, VR.UR, "https://example.org/dicomweb?a=b&c=d");
        ds.setLong(Tag.Rows, VR.US, 512);
        ds.setString(Tag.TextValue, VR.UT, "unlimited text");
        ds.setLong(Tag.SelectorUVValue, VR.UV, -1L, 42);
        ds.setNull(Tag.AccessionNumber, VR.SH);
        ds.newSequence(Tag.ReferencedImageSequence);
        Sequence outer = ds.newSequence(Tag.ContentSequence);
        Dataset item = outer.addItem();
        item.setString(Tag.ValueType, VR.CS, "CONTAINER");
        Dataset inner = item.newSequence(Tag.ContentSequence).addItem();
        inner.setString(Tag.TextValue, VR.UT, "nested ünïcode");
        outer.addItem();
        return ds;
    }

    @Test
    void writesEveryVrAsPs318Says() {
        String json = DicomJsonWriter.toJson(everyVR());
        Map<String, String> attr = attributes(json);
        assertThat(attr.get("00280009")).isEqualTo("{\"Value\":[\"00181063\",\"7FE00010\"],\"vr\":\"AT\"}");
        assertThat(attr.get("00080008")).isEqualTo("{\"Value\":[\"ORIGINAL\",null,\"AXIAL\"],\"vr\":\"CS\"}");
        assertThat(attr.get("00280030")).isEqualTo("{\"Value\":[0.5,0.25],\"vr\":\"DS\"}");
        assertThat(attr.get("00200013")).isEqualTo("{\"Value\":[7],\"vr\":\"IS\"}");
        assertThat(attr.get("00100010")).isEqualTo("{\"Value\":[{\"Alphabetic\":\"Yamada^Tarou\","
                + "\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"},null,{\"Alphabetic\":\"Doe^John\"}],\"vr\":\"PN\"}");
        assertThat(attr.get("00720082")).isEqualTo("{\"Value\":[-1,\"-9223372036854775808\",9007199254740991],\"vr\":\"SV\"}");
        assertThat(attr.get("00720083")).isEqualTo("{\"Value\":[\"18446744073709551615\",42],\"vr\":\"UV\"}");
        assertThat(attr.get("00080050")).isEqualTo("{\"vr\":\"SH\"}");
        assertThat(attr.get("00081140")).isEqualTo("{\"vr\":\"SQ\"}");
        assertThat(attr.get("00420011")).isEqualTo("{\"InlineBinary\":\"AQIDBA==\",\"vr\":\"OB\"}");
        assertThat(attr.get("00281201")).isEqualTo("{\"BulkDataURI\":\"bulk:/00281201\",\"vr\":\"OW\"}");
        assertThat(json).contains("\"vr\":\"FD\",\"Value\":[1.5,-0.0,\"NaN\"]");
        assertThat(json).contains("\"Value\":[0.1,\"Infinity\"]");
        assertThat(json).contains("\"Value\":[{\"0040A040\":{\"vr\":\"CS\",\"Value\":[\"CONTAINER\"]},"
                + "\"0040A730\":{\"vr\":\"SQ\",\"Value\":[{\"0040A160\":{\"vr\":\"UT\",\"Value\":[\"nested ünïcode\"]}}]}},{}]");
    }

    @Test
    void keysAreInTagOrderAndUppercase() {
        String json = DicomJsonWriter.toJson(everyVR());
        List<String> keys = List.copyOf(((JsonParser.Obj) Nodes.parse(json)).members().keySet());
        assertThat(keys).isSortedAccordingTo(String::compareTo).allMatch(k -> k.matches("[0-9A-F]{8}"));
    }

    @Test
    void everyVrSurvivesAReadBack() throws Exception {
        String first = DicomJsonWriter.toJson(everyVR(), JsonOptions.DEFAULT.withInlineBinaryLimit(-1));
        Dataset back = DicomJsonReader.read(new StringReader(first));
        assertThat(Nodes.canonical(DicomJsonWriter.toJson(back, JsonOptions.DEFAULT.withInlineBinaryLimit(-1))))
                .isEqualTo(Nodes.canonical(first));
        assertThat(back.getString(Tag.PatientID)).isEqualTo("ID\u00e9");
        assertThat(back.getStrings(Tag.PatientName)).containsExactly("Yamada^Tarou=山田^太郎=やまだ^たろう", "", "Doe^John");
        assertThat(back.getSequence(Tag.ContentSequence).get(0).getSequence(Tag.ContentSequence).get(0)
                .getString(Tag.TextValue)).isEqualTo("nested ünïcode");
    }

    @Test
    void prettyOutputParsesToTheSameTree() {
        String compact = DicomJsonWriter.toJson(everyVR());
        String pretty = DicomJsonWriter.toJson(everyVR(), JsonOptions.DEFAULT.withPretty(true));
        assertThat(pretty).contains("\n  \"00080005\": {\n    \"vr\": \"CS\",");
        assertThat(Nodes.canonical(pretty)).isEqualTo(Nodes.canonical(compact));
    }

    @Test
    void encapsulatedPixelDataIsAlwaysABulkDataUriWithItsPath() {
        Dataset ds = new Dataset();
        Fragments f = new Fragments();
        f.add(new byte[0]);
        f.add(new byte[] {1, 2});
        Dataset item = ds.newSequence(Tag.IconImageSequence).addItem();
        item.put(new Element(Tag.PixelData, VR.OB, f, false));
        assertThat(DicomJsonWriter.toJson(ds)).contains("\"BulkDataURI\":\"bulk:/00880200/0/7FE00010\"");
    }

    @Test
    void bulkDataUrisReadBackThroughTheResolver() throws Exception {
        Dataset ds = new Dataset();
        ds.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
        Map<List<Integer>, String> found = new HashMap<>();
        Dataset back = DicomJsonReader.read(new StringReader(DicomJsonWriter.toJson(ds)),
                BulkDataUriResolver.collecting(found));
        assertThat(found).containsExactly(Map.entry(List.of(Tag.PixelData), "bulk:/7FE00010"));
        assertThat(back.get(Tag.PixelData).vr()).isEqualTo(VR.OW);
        assertThat(back.get(Tag.PixelData).isEmpty()).isTrue();
    }

    @Test
    void fileReferencesComeBackAsBulkDataOnlyWhenAskedFor() throws Exception {
        var bd = new dev.steadfast.dicom.BulkData(java.nio.file.Path.of("/tmp/x.dcm").toAbsolutePath(), 10, 4096, false);
        Dataset ds = new Dataset();
        ds.put(new Element(Tag.PixelData, VR.OB, bd, false));
        String json = DicomJsonWriter.toJson(ds);
        assertThat(json).contains(bd.uri());
        assertThat(DicomJsonReader.read(new StringReader(json), BulkDataUriResolver.FILE_REFERENCES)
                .get(Tag.PixelData).value()).isEqualTo(bd);
        assertThat(DicomJsonReader.read(new StringReader(json)).get(Tag.PixelData).value()).isNull();
    }

    @Test
    void invalidDecimalStringsStayText() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SliceThickness, VR.DS, "1,5", " 2.50 ", "5.");
        assertThat(DicomJsonWriter.toJson(ds)).contains("\"Value\":[\"1,5\",2.50,5]");
    }

    /** Attribute key to its canonical text, top level only. */
    private static Map<String, String> attributes(String json) {
        Map<String, String> out = new HashMap<>();
        ((JsonParser.Obj) Nodes.parse(json)).members().forEach((k, v) -> out.put(k, Nodes.canonical(v)));
        return out;
    }
}
