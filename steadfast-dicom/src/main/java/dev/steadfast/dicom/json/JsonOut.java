package dev.steadfast.dicom.json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one JSON writer of the code base (DICOM JSON, the admin API, /health, HTTP errors): a
 * streaming emitter that writes straight to a {@link Writer}, tracks only whether a comma is due
 * at each nesting level, and indents when asked to. The caller keeps the structure valid (a key
 * before each member value); escaping is done here, so that any Java string comes out as valid
 * JSON and valid UTF-8 (see {@link #quote}).
 */
public final class JsonOut {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Writer out;
    private final boolean pretty;
    private boolean[] first = new boolean[32];
    private int depth;
    private boolean afterKey;

    public JsonOut(Writer out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    /** A quoted, escaped JSON string, for callers that assemble a small document themselves. */
    public static String quote(String s) {
        StringWriter w = new StringWriter(s.length() + 2);
        try {
            writeString(w, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return w.toString();
    }

    public JsonOut beginObject() throws IOException { return open('{'); }

    public JsonOut endObject() throws IOException { return close('}'); }

    public JsonOut beginArray() throws IOException { return open('['); }

    public JsonOut endArray() throws IOException { return close(']'); }

    public JsonOut key(String name) throws IOException {
        separate();
        writeString(out, name);
        out.write(pretty ? ": " : ":");
        afterKey = true;
        return this;
    }

    /** A string value; null writes null. */
    public JsonOut string(String s) throws IOException {
        separate();
        if (s == null) {
            out.write("null");
        } else {
            writeString(out, s);
        }
        return this;
    }

    /** A number whose text the caller guarantees to be valid JSON number syntax. */
    public JsonOut number(String text) throws IOException { return literal(text); }

    public JsonOut number(long n) throws IOException { return number(Long.toString(n)); }

    public JsonOut bool(boolean b) throws IOException { return literal(b ? "true" : "false"); }

    public JsonOut nul() throws IOException { return literal("null"); }

    /** {@code "key": value}; a null value writes null. */
    public JsonOut field(String key, String value) throws IOException { return key(key).string(value); }

    public JsonOut field(String key, long value) throws IOException { return key(key).number(value); }

    /** {@code "key": value} for a boxed number (Integer, Long...); null writes null. */
    public JsonOut field(String key, Number value) throws IOException {
        return key(key).literal(value == null ? "null" : value.toString());
    }

    public JsonOut field(String key, boolean value) throws IOException { return key(key).bool(value); }

    /** Base64 written in chunks, so a large value never becomes one big String. */
    public JsonOut base64(byte[] b) throws IOException {
        separate();
        out.write('"');
        Base64.Encoder enc = Base64.getEncoder();
        int chunk = 3 * 4096;
        for (int off = 0; off < b.length; off += chunk) {
            int len = Math.min(chunk, b.length - off);
            byte[] part = enc.encode(Arrays.copyOfRange(b, off, off + len));
            for (byte c : part) {
                out.write(c);
            }
        }
        out.write('"');
        return this;
    }

    public void flush() throws IOException { out.flush(); }

    /** A number, true, false or null: text written as it is. */
    private JsonOut literal(String text) throws IOException {
        separate();
        out.write(text);
        return this;
    }

    private JsonOut open(char c) throws IOException {
        separate();
        out.write(c);
        if (++depth == first.length) {
            first = Arrays.copyOf(first, depth * 2);
        }
        first[depth] = true;
        return this;
    }

    private JsonOut close(char c) throws IOException {
        boolean empty = first[depth];
        depth--;
        if (!empty) {
            newline();
        }
        out.write(c);
        return this;
    }

    private void separate() throws IOException {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth > 0) {
            if (!first[depth]) {
                out.write(',');
            }
            first[depth] = false;
            newline();
        }
    }

    private void newline() throws IOException {
        if (pretty) {
            out.write('\n');
            for (int i = 0; i < depth; i++) {
                out.write("  ");
            }
        }
    }

    /**
     * RFC 8259 escaping, plus U+2028/U+2029 (line breaks to JavaScript) and lone surrogates: a
     * surrogate without its partner cannot be encoded in UTF-8 (the encoder would put '?' in its
     * place), so it is written as a \\u escape and survives the round trip. Pairs pass as they are.
     */
    private static void writeString(Writer out, String s) throws IOException {
        out.write('"');
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029 && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a well-formed pair: a supplementary character, written as it is
                continue;
            }
            out.write(s, start, i - start);
            start = i + 1;
            switch (c) {
                case '"' -> out.write("\\\"");
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                case '\b' -> out.write("\\b");
                case '\f' -> out.write("\\f");
                default -> {
                    out.write("\\u");
                    for (int shift = 12; shift >= 0; shift -= 4) {
                        out.write(HEX[(c >> shift) & 0xF]);
                    }
                }
            }
        }
        out.write(s, start, n - start);
        out.write('"');
    }
}
