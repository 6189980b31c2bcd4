package dev.steadfast.dicom.json;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser into a small tree whose nodes remember where they started, so the
 * DICOM layer can say where a wrong type is. Limits nesting depth, number length and string
 * length, so hostile input ends in a {@link DicomJsonException}, never in a stack overflow or
 * an out-of-memory error.
 */
final class JsonParser {

    /** A parsed value and the character offset where it starts. */
    sealed interface Node permits Obj, Arr, Str, Num, Lit {
        long pos();
    }

    record Obj(Map<String, Node> members, long pos) implements Node {}

    record Arr(List<Node> items, long pos) implements Node {}

    record Str(String value, long pos) implements Node {}

    /** A number kept as its text, which is valid JSON number syntax. */
    record Num(String text, long pos) implements Node {}

    /** true, false or null (value null). */
    record Lit(Boolean value, long pos) implements Node {}

    static final int MAX_DEPTH = 200;
    static final int MAX_NUMBER_CHARS = 256;

    private final Reader in;
    private final long maxStringChars;
    private final char[] buf = new char[8192];
    private int bufPos;
    private int bufLen;
    private long pos; // offset of buf[bufPos]
    private int depth;

    JsonParser(Reader in, long maxStringChars) {
        this.in = in;
        this.maxStringChars = maxStringChars;
    }

    /** One JSON value followed by nothing but whitespace. */
    Node parseDocument() throws IOException {
        Node n = value();
        skipWhitespace();
        if (peek() != -1) {
            throw error("unexpected content after the JSON value");
        }
        return n;
    }

    private Node value() throws IOException {
        skipWhitespace();
        long start = pos;
        int c = peek();
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new Str(string(), start);
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            case -1 -> throw error("unexpected end of input");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character " + describe(c));
            }
        };
    }

    private Obj object() throws IOException {
        long start = pos;
        enter();
        next();
        Map<String, Node> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            next();
            depth--;
            return new Obj(members, start);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes");
            }
            long keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            Node v = value();
            if (members.putIfAbsent(key, v) != null) {
                throw new DicomJsonException("duplicate member \"" + key + "\"", keyPos);
            }
            skipWhitespace();
            int c = next();
            if (c == '}') {
                depth--;
                return new Obj(members, start);
            }
            if (c != ',') {
                throw errorBefore("expected ',' or '}' but found " + describe(c));
            }
        }
    }

    private Arr array() throws IOException {
        long start = pos;
        enter();
        next();
        List<Node> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            next();
            depth--;
            return new Arr(items, start);
        }
        while (true) {
            items.add(value());
            skipWhitespace();
            int c = next();
            if (c == ']') {
                depth--;
                return new Arr(items, start);
            }
            if (c != ',') {
                throw errorBefore("expected ',' or ']' but found " + describe(c));
            }
        }
    }

    private void enter() throws DicomJsonException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Node literal(String word, Boolean value) throws IOException {
        long start = pos;
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw new DicomJsonException("invalid literal, expected " + word, start);
            }
        }
        return new Lit(value, start);
    }

    private Num number() throws IOException {
        long start = pos;
        StringBuilder sb = new StringBuilder();
        if (peek() == '-') {
            sb.append((char) next());
        }
        if (peek() == '0') {
            sb.append((char) next());
        } else {
            digits(sb, "a digit");
        }
        if (peek() == '.') {
            sb.append((char) next());
            digits(sb, "a digit after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            sb.append((char) next());
            if (peek() == '+' || peek() == '-') {
                sb.append((char) next());
            }
            digits(sb, "a digit in the exponent");
        }
        int c = peek();
        if (c >= '0' && c <= '9') {
            throw error("leading zeros are not allowed in numbers");
        }
        return new Num(sb.toString(), start);
    }

    private void digits(StringBuilder sb, String what) throws IOException {
        int c = peek();
        if (c < '0' || c > '9') {
            throw error("expected " + what + " but found " + describe(c));
        }
        while (c >= '0' && c <= '9') {
            if (sb.length() >= MAX_NUMBER_CHARS) {
                throw error("number longer than " + MAX_NUMBER_CHARS + " characters");
            }
            sb.append((char) next());
            c = peek();
        }
    }

    private String string() throws IOException {
        next(); // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (sb.length() >= maxStringChars) {
                throw error("string longer than " + maxStringChars + " characters");
            }
            int c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c == -1) {
                throw error("unterminated string");
            }
            if (c < 0x20) {
                throw errorBefore("unescaped control character " + describe(c) + " in string");
            }
            if (c != '\\') {
                sb.append((char) c);
                continue;
            }
            int e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append((char) e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int h = Character.digit(next(), 16);
                        if (h < 0) {
                            throw errorBefore("invalid \\u escape");
                        }
                        v = (v << 4) | h;
                    }
                    sb.append((char) v);
                }
                default -> throw errorBefore("invalid escape \\" + (e == -1 ? "" : (char) e));
            }
        }
    }

    private void expect(char c) throws IOException {
        int got = next();
        if (got != c) {
            throw errorBefore("expected '" + c + "' but found " + describe(got));
        }
    }

    private void skipWhitespace() throws IOException {
        int c;
        while ((c = peek()) == ' ' || c == '\t' || c == '\n' || c == '\r') {
            next();
        }
    }

    private int peek() throws IOException {
        if (bufPos == bufLen && !fill()) {
            return -1;
        }
        return buf[bufPos];
    }

    private int next() throws IOException {
        int c = peek();
        if (c != -1) {
            bufPos++;
            pos++;
        }
        return c;
    }

    private boolean fill() throws IOException {
        bufPos = 0;
        bufLen = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        bufLen = n;
        return true;
    }

    private static String describe(int c) {
        if (c == -1) {
            return "end of input";
        }
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("U+%04X", c);
    }

    private DicomJsonException error(String problem) {
        return new DicomJsonException(problem, pos);
    }

    /** For problems with the character just consumed. */
    private DicomJsonException errorBefore(String problem) {
        return new DicomJsonException(problem, Math.max(0, pos - 1));
    }
}
