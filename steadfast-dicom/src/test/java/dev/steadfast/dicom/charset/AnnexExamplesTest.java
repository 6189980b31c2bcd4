package dev.steadfast.dicom.charset;

import static dev.steadfast.dicom.charset.ExpectedBytes.GB2312;
import static dev.steadfast.dicom.charset.ExpectedBytes.JIS_X0201;
import static dev.steadfast.dicom.charset.ExpectedBytes.JIS_X0208;
import static dev.steadfast.dicom.charset.ExpectedBytes.KS_X1001;
import static dev.steadfast.dicom.charset.ExpectedBytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The person-name examples of PS3.5 Annexes H (Japanese), I (Korean) and J (Chinese). */
class AnnexExamplesTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("H.3.1 JIS X 0208", new String[] {"", "ISO 2022 IR 87"},
                        "Yamada^Tarou=山田^太郎=やまだ^たろう",
                        ascii("Yamada^Tarou=")
                                .andEsc("$B").then("山田", JIS_X0208).andEsc("(B").andAscii("^")
                                .andEsc("$B").then("太郎", JIS_X0208).andEsc("(B").andAscii("=")
                                .andEsc("$B").then("やまだ", JIS_X0208).andEsc("(B").andAscii("^")
                                .andEsc("$B").then("たろう", JIS_X0208).andEsc("(B")
                                .bytes()),
                Arguments.of("H.3.2 JIS X 0201 katakana and JIS X 0208", new String[] {"ISO 2022 IR 13", "ISO 2022 IR 87"},
                        "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
                        new ExpectedBytes().then("ﾔﾏﾀﾞ", JIS_X0201).andAscii("^").then("ﾀﾛｳ", JIS_X0201).andAscii("=")
                                .andEsc("$B").then("山田", JIS_X0208).andEsc("(J").andAscii("^")
                                .andEsc("$B").then("太郎", JIS_X0208).andEsc("(J").andAscii("=")
                                .andEsc("$B").then("やまだ", JIS_X0208).andEsc("(J").andAscii("^")
                                .andEsc("$B").then("たろう", JIS_X0208).andEsc("(J")
                                .bytes()),
                Arguments.of("I.2 KS X 1001 in G1", new String[] {"", "ISO 2022 IR 149"},
                        "Hong^Gildong=洪^吉洞=홍^길동",
                        ascii("Hong^Gildong=")
                                .andEsc("$)C").then("洪", KS_X1001).andAscii("^")
                                .andEsc("$)C").then("吉洞", KS_X1001).andAscii("=")
                                .andEsc("$)C").then("홍", KS_X1001).andAscii("^")
                                .andEsc("$)C").then("길동", KS_X1001)
                                .bytes()),
                Arguments.of("J.3 GB 2312 in G1", new String[] {"", "ISO 2022 IR 58"},
                        "Zhang^XiaoDong=张^小东=",
                        ascii("Zhang^XiaoDong=")
                                .andEsc("$)A").then("张", GB2312).andAscii("^")
                                .andEsc("$)A").then("小东", GB2312).andAscii("=")
                                .bytes()),
                Arguments.of("J.1 GB18030", new String[] {"GB18030"},
                        "Wang^XiaoDong=王^小東=",
                        bytesIn("Wang^XiaoDong=王^小東=", Charset.forName("GB18030"))),
                Arguments.of("J.2 UTF-8", new String[] {"ISO_IR 192"},
                        "Wang^XiaoDong=王^小東=",
                        bytesIn("Wang^XiaoDong=王^小東=", StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void decodesTheStandardsBytes(String example, String[] charset, String text, byte[] bytes) {
        assertThat(SpecificCharacterSet.of(charset).decode(bytes, 0, bytes.length, Mode.PERSON_NAME))
                .isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void encodesTheStandardsBytes(String example, String[] charset, String text, byte[] bytes) {
        assertThat(SpecificCharacterSet.of(charset).encode(text, Mode.PERSON_NAME)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void roundTripsInEveryMode(String example, String[] charset, String text, byte[] bytes) {
        SpecificCharacterSet cs = SpecificCharacterSet.of(charset);
        for (Mode mode : Mode.values()) {
            byte[] encoded = cs.encode(text, mode);
            assertThat(cs.decode(encoded, 0, encoded.length, mode)).as(mode.name()).isEqualTo(text);
        }
    }

    private static byte[] bytesIn(String text, Charset charset) {
        return text.getBytes(charset);
    }
}
