package dev.steadfast.web.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object whose values are all strings (or null), as {@code PATCH /api/studies/{uid}} takes
 * it: {@code {"PatientName": "Doe^Jane", "AccessionNumber": "A123"}}. Anything else (nesting,
 * numbers, a duplicate key, trailing text) is refused with where it went wrong.
 */
final class FlatJsonObject {
    static final int MAX_CHARS = 64 * 1024;

    private final String s;
    private int i;

    private FlatJsonObject(String s) {
        this.s = s;
    }

    /** @throws IllegalArgumentException saying what is wrong and at which character */
    static Map<String, String> parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the body is longer than " + MAX_CHARS + " characters");
        }
        return new FlatJsonObject(text).object();
    }

    private Map<String, String> object() {
        Map<String, String> out = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                String key = string();
                expect(':');
                String value;
                if (peek() == 'n' && s.startsWith("null", i)) {
                    i += 4;
                    value = null;
                } else if (peek() == '"') {
                    value = string();
                } else {
                    throw error("the value of '" + key + "' must be a string or null");
                }
                if (out.containsKey(key)) {
                    throw error("'" + key + "' is given twice");
                }
                out.put(key, value);
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }
        if (peek() != 0) {
            throw error("text after the object");
        }
        return out;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            } else if (c < 0x20) {
                throw error("control character in a string");
            } else {
                b.append(c);
            }
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private char next() {
        char c = peek();
        if (c != 0) {
            i++;
        }
        return c;
    }

    /** The next non-blank character, 0 at the end. */
    private char peek() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length() ? s.charAt(i) : 0;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON body, character " + i + ": " + what);
    }
}
