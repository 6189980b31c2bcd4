package dev.steadfast.dicom.charset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecificCharacterSetTest {

    @Test
    void absentOrEmptyMeansTheDefaultRepertoire() {
        assertThat(SpecificCharacterSet.of()).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.of((String[]) null)).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.of("")).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.of("ISO_IR 6 ")).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.DEFAULT.terms()).containsExactly("ISO_IR 6");
        assertThat(SpecificCharacterSet.DEFAULT.isAscii()).isTrue();
    }

    @Test
    void emptyFirstValueStandsForIso2022Ir6() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 87");
        assertThat(cs.terms()).containsExactly("ISO 2022 IR 6", "ISO 2022 IR 87");
        assertThat(cs.isAscii()).isFalse();
        assertThat(cs.unknownTerms()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO_IR 100", "ISO-IR 100", "ISO_IR100", "iso_ir 100", "ISO IR 100", " ISO_IR 100  "})
    void toleratesMisspelledTerms(String value) {
        SpecificCharacterSet cs = SpecificCharacterSet.of(value);
        assertThat(cs.terms()).containsExactly("ISO_IR 100");
        assertThat(cs.unknownTerms()).isEmpty();
        assertThat(decode(cs, "R\u00fcdiger", StandardCharsets.ISO_8859_1)).isEqualTo("R\u00fcdiger");
    }

    @Test
    void toleratesMisspelledCodeExtensionTerms() {
        assertThat(SpecificCharacterSet.of("\\iso 2022 ir 87".split("\\\\", -1)).terms())
                .containsExactly("ISO 2022 IR 6", "ISO 2022 IR 87");
        assertThat(SpecificCharacterSet.of("ISO2022_IR_149").terms()).containsExactly("ISO 2022 IR 149");
    }

    @Test
    void unknownTermsAreRememberedAndFallBackToTheDefault() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO_IR 999");
        assertThat(cs.unknownTerms()).containsExactly("ISO_IR 999");
        assertThat(cs.terms()).containsExactly("ISO_IR 6");
        assertThat(cs.isAscii()).isTrue();
        assertThat(cs).isNotEqualTo(SpecificCharacterSet.DEFAULT);
        byte[] latin1 = {'A', (byte) 0xE9};
        assertThat(cs.decode(latin1, 0, 2, Mode.TEXT)).isEqualTo("A\u00e9");
    }

    @Test
    void unknownTermsAmongKnownOnesAreIgnored() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 87", "KLINGON");
        assertThat(cs.terms()).containsExactly("ISO 2022 IR 6", "ISO 2022 IR 87");
        assertThat(cs.unknownTerms()).containsExactly("KLINGON");
    }

    @Test
    void defaultDecodesHighBytesAsLatin1AndEncodesThemAsQuestionMarks() {
        byte[] bytes = {'M', (byte) 0xFC, 'l', 'l', 'e', 'r'};
        assertThat(SpecificCharacterSet.DEFAULT.decode(bytes, 0, bytes.length, Mode.PERSON_NAME)).isEqualTo("M\u00fcller");
        assertThat(SpecificCharacterSet.DEFAULT.encode("M\u00fcller", Mode.PERSON_NAME))
                .isEqualTo("M?ller".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void decodesTheGivenRangeOnly() {
        byte[] bytes = "xxAbcxx".getBytes(StandardCharsets.US_ASCII);
        assertThat(SpecificCharacterSet.DEFAULT.decode(bytes, 2, 3, Mode.TEXT)).isEqualTo("Abc");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ISO_IR 100 | ISO-8859-1  | Äneas^Rüdiger
            ISO_IR 101 | ISO-8859-2  | Wałęsa^Lech
            ISO_IR 109 | ISO-8859-3  | Ħal Għargħur
            ISO_IR 110 | ISO-8859-4  | Ąžuolas^Šarūnas
            ISO_IR 144 | ISO-8859-5  | Люкceмбypг
            ISO_IR 127 | ISO-8859-6  | قباني^لنزار
            ISO_IR 126 | ISO-8859-7  | Διονυσιος
            ISO_IR 138 | ISO-8859-8  | שרון^דבורה
            ISO_IR 148 | ISO-8859-9  | Çağlar^Şükrü
            ISO_IR 203 | ISO-8859-15 | Œuvre 5€
            ISO_IR 166 | TIS-620     | ประเทศไทย
            ISO_IR 192 | UTF-8       | Wang^XiaoDong=王^小東= 😀
            GB18030    | GB18030     | Wang^XiaoDong=王^小東=
            GBK        | GBK         | Wang^XiaoDong=王^小东=
            """)
    void singleTermsWithoutExtensionsUseTheirCharsetDirectly(String term, String charsetName, String text) {
        SpecificCharacterSet cs = SpecificCharacterSet.of(term);
        Charset charset = Charset.forName(charsetName);
        byte[] expected = text.getBytes(charset);
        assertThat(cs.terms()).containsExactly(term);
        assertThat(cs.encode(text, Mode.PERSON_NAME)).isEqualTo(expected);
        assertThat(cs.decode(expected, 0, expected.length, Mode.PERSON_NAME)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ISO 2022 IR 100 | -A | ISO-8859-1  | Äneas^Rüdiger
            ISO 2022 IR 101 | -B | ISO-8859-2  | Łukasz^Wałęsa
            ISO 2022 IR 109 | -C | ISO-8859-3  | Ħal Għargħur
            ISO 2022 IR 110 | -D | ISO-8859-4  | Ąžuolas^Šarūnas
            ISO 2022 IR 144 | -L | ISO-8859-5  | Люкceмбypг
            ISO 2022 IR 127 | -G | ISO-8859-6  | قباني^لنزار
            ISO 2022 IR 126 | -F | ISO-8859-7  | Διονυσιος
            ISO 2022 IR 138 | -H | ISO-8859-8  | שרון^דבורה
            ISO 2022 IR 148 | -M | ISO-8859-9  | Çağlar^Şükrü
            ISO 2022 IR 203 | -b | ISO-8859-15 | Œuvre 5€
            ISO 2022 IR 166 | -T | TIS-620     | ประเทศไทย
            """)
    void singleByteSetsAreReachedByTheirEscapeFromAnotherInitialSet(String term, String escape, String charsetName, String text) {
        // Each sample starts with a non-ASCII letter, so the escape comes first.
        SpecificCharacterSet cs = SpecificCharacterSet.of("", term);
        byte[] expected = ExpectedBytes.esc(escape).then(text, Charset.forName(charsetName)).bytes();
        byte[] encoded = cs.encode(text, Mode.TEXT);
        assertThat(encoded).isEqualTo(expected);
        assertThat(cs.decode(encoded, 0, encoded.length, Mode.TEXT)).isEqualTo(text);
        // As value 1, the set is in G1 from the start and needs no escape.
        SpecificCharacterSet initial = SpecificCharacterSet.of(term);
        assertThat(initial.encode(text, Mode.TEXT)).isEqualTo(text.getBytes(Charset.forName(charsetName)));
    }

    @Test
    void isoIr13AloneReadsHalfWidthKatakanaAndKeepsTheBackslash() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO_IR 13");
        byte[] bytes = new ExpectedBytes().then("ﾔﾏﾀﾞ^ﾀﾛｳ", ExpectedBytes.JIS_X0201).andAscii("\\ABC").bytes();
        assertThat(cs.decode(bytes, 0, bytes.length, Mode.PERSON_NAME)).isEqualTo("ﾔﾏﾀﾞ^ﾀﾛｳ\\ABC");
        assertThat(cs.encode("ﾔﾏﾀﾞ^ﾀﾛｳ\\ABC", Mode.PERSON_NAME)).isEqualTo(bytes);
    }

    @Test
    void isValueLikeByItsTerms() {
        assertThat(SpecificCharacterSet.of("", "ISO 2022 IR 87"))
                .isEqualTo(SpecificCharacterSet.of("ISO 2022 IR 6", "iso 2022 ir 87"))
                .hasSameHashCodeAs(SpecificCharacterSet.of("ISO 2022 IR 6", "ISO 2022 IR 87"))
                .hasToString("ISO 2022 IR 6\\ISO 2022 IR 87");
    }

    private static String decode(SpecificCharacterSet cs, String text, Charset charset) {
        byte[] bytes = text.getBytes(charset);
        return cs.decode(bytes, 0, bytes.length, Mode.PERSON_NAME);
    }
}
