package dev.steadfast.dicom.charset;

import static dev.steadfast.dicom.charset.ExpectedBytes.JIS_X0208;
import static dev.steadfast.dicom.charset.ExpectedBytes.KS_X1001;
import static dev.steadfast.dicom.charset.ExpectedBytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How escapes and the delimiters of PS3.5 6.1.2.5.3 interact, beyond the Annex examples. */
class Iso2022DelimiterTest {

    private static final SpecificCharacterSet JAPANESE = SpecificCharacterSet.of("", "ISO 2022 IR 87");
    private static final SpecificCharacterSet KOREAN = SpecificCharacterSet.of("", "ISO 2022 IR 149");

    @Test
    void delimiterBytesInsideDoubleByteCharactersAreNotDelimiters() {
        // ま is 0x24 0x5E in JIS X 0208: its second byte is '^'.
        byte[] bytes = ascii("").andEsc("$B").then("やまだ", JIS_X0208).andEsc("(B").bytes();
        assertThat(bytes).contains((byte) '^');
        assertThat(decode(JAPANESE, bytes, Mode.PERSON_NAME)).isEqualTo("やまだ");
    }

    @Test
    void readersResetAtDelimitersEvenWhenTheWriterDidNotSwitchBack() {
        // The case of dcm4che issue 1503: the second ç relies on the reset at '^'.
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO 2022 IR 100", "ISO 2022 IR 149");
        byte[] bytes = new ExpectedBytes().then("ç", StandardCharsets.ISO_8859_1).andAscii("^")
                .andEsc("$)C").then("ㅊ", KS_X1001).andAscii("^")
                .then("ç", StandardCharsets.ISO_8859_1).bytes();
        assertThat(decode(cs, bytes, Mode.PERSON_NAME)).isEqualTo("ç^ㅊ^ç");
        assertThat(cs.encode("ç^ㅊ^ç", Mode.PERSON_NAME)).isEqualTo(
                new ExpectedBytes().then("ç", StandardCharsets.ISO_8859_1).andAscii("^")
                        .andEsc("$)C").then("ㅊ", KS_X1001).andEsc("-A").andAscii("^")
                        .then("ç", StandardCharsets.ISO_8859_1).bytes());
    }

    @Test
    void multiValuedStringsResetAtBackslashButNotAtCaret() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO 2022 IR 100", "ISO 2022 IR 149");
        byte[] bytes = ascii("").andEsc("$)C").then("홍", KS_X1001).andAscii("^")
                .then("길동", KS_X1001).andAscii("\\").then("ç", StandardCharsets.ISO_8859_1).bytes();
        assertThat(decode(cs, bytes, Mode.MULTI_VALUE)).isEqualTo("홍^길동\\ç");
        // As a person name, '^' brings back Latin-1 in G1 and the Hangul bytes read as such.
        assertThat(decode(cs, bytes, Mode.PERSON_NAME)).startsWith("홍^±æµ¿");
    }

    @Test
    void bytesAboveAsciiWithoutAnEscapeReadInTheDeclaredG1Set() {
        byte[] bytes = ascii("Hong^").then("길동", KS_X1001).bytes();
        assertThat(decode(KOREAN, bytes, Mode.PERSON_NAME)).isEqualTo("Hong^길동");
        assertThat(decode(JAPANESE, new byte[] {'A', (byte) 0xE9}, Mode.TEXT)).isEqualTo("Aé");
    }

    @Test
    void the1978EscapeForJisX0208IsAccepted() {
        byte[] bytes = ascii("").andEsc("$@").then("山田", JIS_X0208).andEsc("(B").bytes();
        assertThat(decode(JAPANESE, bytes, Mode.PERSON_NAME)).isEqualTo("山田");
    }

    @Test
    void textResetsAtLineBreaksButNotAtBackslash() {
        String text = "山田\\太郎\r\n山田\t太郎";
        byte[] encoded = JAPANESE.encode(text, Mode.TEXT);
        assertThat(encoded).isEqualTo(ascii("")
                .andEsc("$B").then("山田", JIS_X0208).andEsc("(B").andAscii("\\")
                .andEsc("$B").then("太郎", JIS_X0208).andEsc("(B").andAscii("\r\n")
                .andEsc("$B").then("山田", JIS_X0208).andEsc("(B").andAscii("\t")
                .andEsc("$B").then("太郎", JIS_X0208).andEsc("(B").bytes());
        assertThat(decode(JAPANESE, encoded, Mode.TEXT)).isEqualTo(text);
    }

    @Test
    void lineBreakWithoutSwitchingBackStillResets() {
        byte[] bytes = ascii("").andEsc("$B").then("山田", JIS_X0208).andAscii("\r\nAB").bytes();
        assertThat(decode(JAPANESE, bytes, Mode.TEXT)).isEqualTo("山田\r\nAB");
    }

    @Test
    void paddingSpaceAfterKanjiIsASpace() {
        // dcm4che issue 263: ESC $ B 説 SPACE, with no ESC ( B before the padding.
        byte[] bytes = ascii("").andEsc("$B").then("説", JIS_X0208).andAscii(" ").bytes();
        assertThat(decode(JAPANESE, bytes, Mode.PERSON_NAME)).isEqualTo("説 ");
    }

    @Test
    void switchesBackForAsciiBetweenKanji() {
        // dcm4che issue 976: "TEST ル+カ" needs G0 switched three times.
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO 2022 IR 13", "ISO 2022 IR 87");
        byte[] expected = ascii("TEST ").andEsc("$B").then("ル", JIS_X0208).andEsc("(J").andAscii("+")
                .andEsc("$B").then("カ", JIS_X0208).andEsc("(J").bytes();
        assertThat(cs.encode("TEST ル+カ", Mode.MULTI_VALUE)).isEqualTo(expected);
        assertThat(decode(cs, expected, Mode.MULTI_VALUE)).isEqualTo("TEST ル+カ");
    }

    @Test
    void jisX0212IsAG0DoubleByteSet() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 87", "ISO 2022 IR 159");
        Charset jisX0212 = Charset.forName("JIS_X0212-1990");
        String text = "丂^山";
        byte[] expected = ascii("").andEsc("$(D").then("丂", jisX0212).andEsc("(B").andAscii("^")
                .andEsc("$B").then("山", JIS_X0208).andEsc("(B").bytes();
        assertThat(cs.encode(text, Mode.PERSON_NAME)).isEqualTo(expected);
        assertThat(decode(cs, expected, Mode.PERSON_NAME)).isEqualTo(text);
    }

    @Test
    void escapesOfSetsNotDeclaredAreStillFollowed() {
        byte[] bytes = ascii("A").andEsc("-L").then("Люк", Charset.forName("ISO-8859-5")).bytes();
        assertThat(decode(JAPANESE, bytes, Mode.TEXT)).isEqualTo("AЛюк");
    }

    @Test
    void unknownEscapesAreKeptAsText() {
        byte[] bytes = ascii("A").andEsc("%G").andAscii("B").bytes();
        assertThat(decode(JAPANESE, bytes, Mode.TEXT)).isEqualTo("A\u001b%GB");
    }

    @Test
    void truncatedDoubleByteCharacterBecomesReplacementCharacter() {
        byte[] bytes = ascii("").andEsc("$B").then("山", JIS_X0208).bytes();
        assertThat(decode(JAPANESE, bytes, 0, bytes.length - 1, Mode.TEXT)).isEqualTo("\ufffd");
    }

    @Test
    void charactersNoDeclaredSetHoldsBecomeQuestionMarks() {
        assertThat(JAPANESE.encode("A한B", Mode.TEXT)).isEqualTo(ascii("A?B").bytes());
        assertThat(KOREAN.encode("山😀", Mode.TEXT)).isEqualTo(
                ascii("").andEsc("$)C").then("山", KS_X1001).andAscii("?").bytes());
    }

    private static String decode(SpecificCharacterSet cs, byte[] bytes, Mode mode) {
        return decode(cs, bytes, 0, bytes.length, mode);
    }

    private static String decode(SpecificCharacterSet cs, byte[] bytes, int offset, int length, Mode mode) {
        return cs.decode(bytes, offset, length, mode);
    }
}
