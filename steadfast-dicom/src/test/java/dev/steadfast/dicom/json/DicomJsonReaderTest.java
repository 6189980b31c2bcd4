package dev.steadfast.dicom.json;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.Reader;
import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DicomJsonReaderTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            truncated object          | {"00100010":{"vr":"PN"                                 | but found end of input
            truncated string          | {"00100020":{"vr":"LO","Value":["abc                   | unterminated string
            empty input               | ``                                                     | unexpected end of input
            trailing comma            | {"00100020":{"vr":"LO"},}                              | expected a member name
            trailing garbage          | {} x                                                   | unexpected content after
            single quotes             | {'00100020':{}}                                        | expected a member name
            leading zero              | {"00280010":{"vr":"US","Value":[01]}}                  | leading zeros
            bare minus                | {"00280010":{"vr":"US","Value":[-]}}                   | expected a digit
            bad escape                | {"00100020":{"vr":"LO","Value":["a\\x"]}}              | invalid escape
            bad unicode escape        | {"00100020":{"vr":"LO","Value":["\\u12G4"]}}           | invalid \\u escape
            duplicate key             | {"00100020":{"vr":"LO"},"00100020":{"vr":"LO"}}        | duplicate member
            top level array           | [{}]                                                   | expected an object for a data set
            short tag key             | {"0010002":{"vr":"LO"}}                                | is not 8 hex digits
            keyword as key            | {"PatientID":{"vr":"LO"}}                              | is not 8 hex digits
            item tag key              | {"FFFEE000":{"vr":"SQ"}}                               | item and delimitation tags
            missing vr                | {"00100020":{"Value":["x"]}}                           | missing "vr"
            unknown vr                | {"00100020":{"vr":"XX"}}                               | unknown VR "XX"
            vr not a string           | {"00100020":{"vr":5}}                                  | expected a string for the vr
            unknown member            | {"00100020":{"vr":"LO","value":["x"]}}                 | unknown member "value"
            two value forms           | {"7FE00010":{"vr":"OB","InlineBinary":"","BulkDataURI":"x"}} | more than one of
            value not an array        | {"00100020":{"vr":"LO","Value":"x"}}                   | expected an array
            number for a string VR    | {"00100020":{"vr":"LO","Value":[5]}}                   | expected a string or null
            string for US             | {"00280010":{"vr":"US","Value":["512"]}}               | expected an integer for US
            US out of range           | {"00280010":{"vr":"US","Value":[65536]}}               | out of the range of US
            fraction for SL           | {"00186020":{"vr":"SL","Value":[1.5]}}                 | not an integer
            huge exponent             | {"00280010":{"vr":"US","Value":[1e999999999]}}         | not an integer in the range
            IS with a fraction        | {"00200013":{"vr":"IS","Value":[1.5]}}                 | is not an integer
            string for FD             | {"00182005":{"vr":"FD","Value":["1.5"]}}               | expected a number for FD
            bad AT                    | {"00280009":{"vr":"AT","Value":["0018106"]}}           | is not 8 hex digits
            PN as a string            | {"00100010":{"vr":"PN","Value":["Doe^John"]}}          | expected an object for a PN value
            PN unknown group          | {"00100010":{"vr":"PN","Value":[{"Alpha":"Doe"}]}}     | unknown PN component group
            item not an object        | {"0040A730":{"vr":"SQ","Value":[5]}}                   | expected an object for a sequence item
            bad base64                | {"7FE00010":{"vr":"OB","InlineBinary":"AQID*"}}        | invalid base64
            InlineBinary for a string | {"00100020":{"vr":"LO","InlineBinary":"AQID"}}         | InlineBinary is only for
            Value for OB              | {"7FE00010":{"vr":"OB","Value":[1]}}                   | are InlineBinary or BulkDataURI
            two values for UT         | {"0040A160":{"vr":"UT","Value":["a","b"]}}             | holds a single value
            backslash in a value      | {"00100020":{"vr":"LO","Value":["a\\\\b"]}}            | contains a backslash
            control character         | {"00100020":{"vr":"LO","Value":["a\tb"]}}              | unescaped control character
            """)
    void malformedInputIsRejectedSayingWhatAndWhere(String name, String json, String message) {
        assertThatThrownBy(() -> DicomJsonReader.read(new StringReader(json)))
                .as(name).isInstanceOf(DicomJsonException.class).hasMessageContaining(message);
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> DicomJsonReader.read(new StringReader("{\"00100020\":{\"vr\":\"LO\",\"Value\":[5]}}")))
                .isInstanceOfSatisfying(DicomJsonException.class, e -> assertThat(e.position()).isEqualTo(32))
                .hasMessageContaining("at character 32");
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() {
        String deep = "[".repeat(100_000);
        assertThatThrownBy(() -> DicomJsonReader.read(new StringReader(deep)))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("nesting deeper than");
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            items.append("{\"0040A730\":{\"vr\":\"SQ\",\"Value\":[");
        }
        assertThatThrownBy(() -> DicomJsonReader.read(new StringReader(items.toString())))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("nesting deeper than");
    }

    @Test
    void hugeNumbersAreRejectedWithoutBuildingThem() {
        String digits = "1".repeat(10_000_000);
        assertThatThrownBy(() -> DicomJsonReader.read(new StringReader("{\"00280010\":{\"vr\":\"US\",\"Value\":[" + digits + "]}}")))
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("number longer than");
    }

    @Test
    void hugeStringsAreRejectedBeforeMemoryRunsOut() {
        Reader endless = new Reader() {
            boolean opened;

            @Override
            public int read(char[] buf, int off, int len) {
                if (!opened) {
                    opened = true;
                    String head = "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"";
                    head.getChars(0, head.length(), buf, off);
                    return head.length();
                }
                java.util.Arrays.fill(buf, off, off + len, 'a');
                return len;
            }

            @Override
            public void close() { }
        };
        assertThatThrownBy(() -> new JsonParser(endless, 1 << 20).parseDocument())
                .isInstanceOf(DicomJsonException.class).hasMessageContaining("string longer than");
    }

    @Test
    void specificCharacterSetAppliesWhereverItIsInTheObject() throws Exception {
        Dataset ds = DicomJsonReader.read(new StringReader("""
                {"00100010":{"vr":"PN","Value":[{"Alphabetic":"Wang^XiaoDong","Ideographic":"王^小東"}]},
                 "00080005":{"vr":"CS","Value":["ISO_IR 192"]}}"""));
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("Wang^XiaoDong=王^小東");
        assertThat(ds.getBytes(Tag.PatientName)).isEqualTo("Wang^XiaoDong=王^小東".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void readsQidoArraysAndLenientNumberForms() throws Exception {
        List<Dataset> list = DicomJsonReader.readArray(new StringReader("""
                [{"00200013":{"vr":"IS","Value":["12"]},"00720083":{"vr":"UV","Value":["18446744073709551615"]}},
                 {"00182005":{"vr":"FD","Value":["NaN",1e2]},"00280010":{"vr":"US","Value":[5.0E2]}}]"""));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).getString(Tag.InstanceNumber)).isEqualTo("12");
        assertThat(list.get(0).getLongs(Tag.SelectorUVValue)).containsExactly(-1L);
        assertThat(list.get(1).getDoubles(Tag.SliceLocationVector)).containsExactly(Double.NaN, 100.0);
        assertThat(list.get(1).getInts(Tag.Rows)).containsExactly(500);
        assertThat(list.get(1).get(Tag.Rows).vr()).isEqualTo(VR.US);
    }

    @Test
    void longDecimalsAreShortenedToSixteenCharacters() throws Exception {
        Dataset ds = DicomJsonReader.read(new StringReader("{\"00280030\":{\"vr\":\"DS\",\"Value\":[0.30000001192092896]}}"));
        assertThat(ds.getString(Tag.PixelSpacing)).hasSizeLessThanOrEqualTo(16).startsWith("0.300000011920");
    }
}
