package dev.steadfast.server.hl7;

import java.util.regex.Pattern;

/**
 * The MSH segment of a message's text, read without a parser: for routing, acknowledging what
 * could not be read whole, and checking acknowledgements. MSH-1 is the field separator, so MSH-n
 * is the (n-1)th piece after splitting on it.
 */
record Msh(String[] fields, char component) {
    /** The MSH of {@code text}, or null when it does not start with one. */
    static Msh of(String text) {
        if (text == null || text.length() < 8 || !text.startsWith("MSH")) {
            return null;
        }
        int end = text.indexOf('\r');
        String msh = end < 0 ? text : text.substring(0, end);
        return new Msh(msh.split(Pattern.quote(String.valueOf(msh.charAt(3))), -1), msh.charAt(4));
    }

    /** MSH-n, whole, or "" when absent. */
    String field(int n) {
        return n >= 2 && n - 1 < fields.length ? fields[n - 1] : "";
    }

    /** Component c (1-based) of MSH-n, or "". */
    String component(int n, int c) {
        String[] parts = field(n).split(Pattern.quote(String.valueOf(component)), -1);
        return c - 1 < parts.length ? parts[c - 1] : "";
    }

    String type() {
        return component(9, 1);
    }

    String event() {
        return component(9, 2);
    }

    String controlId() {
        return field(10);
    }
}
