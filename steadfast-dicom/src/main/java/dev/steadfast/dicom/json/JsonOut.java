package dev.steadfast.dicom.json;

import java.io.IOException;
import java.io.Writer;

/**
 * A minimal streaming JSON emitter: writes straight to the {@link Writer}, tracks only
 * whether a comma is due at each nesting level, and indents when asked to.
 */
final class JsonOut {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Writer out;
    private final boolean pretty;
    private boolean[] first = new boolean[32];
    private int depth;
    private boolean afterKey;

    JsonOut(Writer out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    void beginObject() throws IOException { open('{'); }

    void endObject() throws IOException { close('}'); }

    void beginArray() throws IOException { open('['); }

    void endArray() throws IOException { close(']'); }

    void key(String name) throws IOException {
        separate();
        string0(name);
        out.write(pretty ? ": " : ":");
        afterKey = true;
    }

    void string(String s) throws IOException {
        separate();
        string0(s);
    }

    /** A number whose text the caller guarantees to be valid JSON number syntax. */
    void number(String text) throws IOException {
        separate();
        out.write(text);
    }

    void nul() throws IOException {
        separate();
        out.write("null");
    }

    /** Base64 written in chunks, so a large value never becomes one big String. */
    void base64(byte[] b) throws IOException {
        separate();
        out.write('"');
        var enc = java.util.Base64.getEncoder();
        int chunk = 3 * 4096;
        for (int off = 0; off < b.length; off += chunk) {
            int len = Math.min(chunk, b.length - off);
            byte[] part = enc.encode(java.util.Arrays.copyOfRange(b, off, off + len));
            for (byte c : part) {
                out.write(c);
            }
        }
        out.write('"');
    }

    void flush() throws IOException { out.flush(); }

    private void open(char c) throws IOException {
        separate();
        out.write(c);
        if (++depth == first.length) {
            first = java.util.Arrays.copyOf(first, depth * 2);
        }
        first[depth] = true;
    }

    private void close(char c) throws IOException {
        boolean empty = first[depth];
        depth--;
        if (!empty) {
            newline();
        }
        out.write(c);
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

    private void string0(String s) throws IOException {
        out.write('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
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
        out.write(s, start, s.length() - start);
        out.write('"');
    }
}
