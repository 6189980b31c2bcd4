package dev.steadfast.dicom.json;

import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: one JSON writer for DICOM JSON, the admin API, /health and HTTP errors. Its escaping
 * must turn any Java string into valid JSON and valid UTF-8 that reads back as the same string,
 * checked against our parser and against Python's json module.
 */
class Issue12JsonOutEscapingTest {

    /** Strings a patient name, an error message or a file path could bring. */
    private static final List<String> SAMPLES = List.of(
            "plain",
            "",
            "quote \" backslash \\ slash /",
            "controls \u0000\u0001\u0008\t\n\u000b\f\r\u001b\u001f end",
            "del \u007f and latin-1 é ü ß",
            "cjk 山田^太郎 and hangul 홍길동",
            "line separators \u2028 and \u2029",
            "emoji \ud83d\ude00 (a surrogate pair)",
            "lone high \ud83d then text",
            "lone low \ude00 then text",
            "reversed pair \ude00\ud83d",
            "high at the end \ud83d");

    @Test
    void controlCharactersQuotesAndLineSeparatorsAreEscaped() {
        assertThat(JsonOut.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(JsonOut.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(JsonOut.quote("\u0000\u001f\u001b")).isEqualTo("\"\\u0000\\u001f\\u001b\"");
        assertThat(JsonOut.quote("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(JsonOut.quote("/ \u007f")).isEqualTo("\"/ \u007f\"");
    }

    @Test
    void unicodePassesAsItIsAndOnlyLoneSurrogatesAreEscaped() {
        assertThat(JsonOut.quote("山田^太郎 é")).isEqualTo("\"山田^太郎 é\"");
        assertThat(JsonOut.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(JsonOut.quote("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
        assertThat(JsonOut.quote("\ude00\ud83d")).isEqualTo("\"\\ude00\\ud83d\"");
        assertThat(JsonOut.quote("end\ud83d")).isEqualTo("\"end\\ud83d\"");
    }

    @Test
    void everySampleIsValidUtf8AndReadsBackTheSame() throws IOException {
        for (String s : SAMPLES) {
            String json = JsonOut.quote(s);
            strictUtf8(json);
            JsonParser.Node node = new JsonParser(new StringReader(json), Long.MAX_VALUE).parseDocument();
            assertThat(((JsonParser.Str) node).value()).as(json).isEqualTo(s);
        }
    }

    @Test
    void structureCommasNullsAndPrettyPrinting() throws IOException {
        StringWriter w = new StringWriter();
        new JsonOut(w, false).beginObject()
                .field("n", 5).field("boxed", (Integer) null).field("s", (String) null).field("ok", true)
                .key("list").beginArray().string("a").number(-1.5 + "").beginObject().endObject().endArray()
                .key("empty").beginArray().endArray()
                .endObject().flush();
        assertThat(w).hasToString("{\"n\":5,\"boxed\":null,\"s\":null,\"ok\":true,\"list\":[\"a\",-1.5,{}],\"empty\":[]}");

        StringWriter p = new StringWriter();
        new JsonOut(p, true).beginObject().field("a", 1).key("b").beginArray().number(2).endArray().endObject();
        assertThat(p).hasToString("{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}");
    }

    /** Python's json module as an independent reader: the same code points, lone surrogates included. */
    @Test
    void pythonReadsTheSameCodePoints(@TempDir Path tmp) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Corpus.requireOrSkip(Files.isExecutable(python), "python3 (the JSON oracle)");
        StringWriter w = new StringWriter();
        JsonOut out = new JsonOut(w, false).beginArray();
        for (String s : SAMPLES) {
            out.string(s);
        }
        out.endArray();
        Path file = tmp.resolve("samples.json");
        Files.write(file, w.toString().getBytes(StandardCharsets.UTF_8));

        Process p = new ProcessBuilder(python.toString(), "-c",
                "import json,sys\n"
                        + "data = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8', 'strict'))\n"
                        + "print('\\n'.join(' '.join(str(ord(c)) for c in s) for s in data))",
                file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        List<String> expected = new ArrayList<>();
        for (String s : SAMPLES) {
            expected.add(String.join(" ", s.codePoints().mapToObj(Integer::toString).toList()));
        }
        assertThat(output.split("\n", -1)).containsExactlyElementsOf(withTrailingEmpty(expected));
    }

    private static List<String> withTrailingEmpty(List<String> lines) {
        List<String> l = new ArrayList<>(lines);
        l.add(""); // print() ends with a newline
        return l;
    }

    /** Encoding fails on an unpaired surrogate instead of writing '?', as String.getBytes would. */
    private static void strictUtf8(String json) throws CharacterCodingException {
        StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(json));
    }
}
