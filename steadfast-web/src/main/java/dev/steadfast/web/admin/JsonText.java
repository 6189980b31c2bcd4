package dev.steadfast.web.admin;

import java.time.Instant;
import java.util.List;

/** A small JSON writer for the admin API's answers (objects of strings, numbers, lists). */
final class JsonText {
    private final StringBuilder b = new StringBuilder();
    private boolean comma;

    JsonText begin() {
        sep();
        b.append('{');
        comma = false;
        return this;
    }

    JsonText end() {
        b.append('}');
        comma = true;
        return this;
    }

    JsonText beginArray(String key) {
        key(key);
        b.append('[');
        comma = false;
        return this;
    }

    JsonText endArray() {
        b.append(']');
        comma = true;
        return this;
    }

    JsonText beginObject(String key) {
        key(key);
        b.append('{');
        comma = false;
        return this;
    }

    JsonText field(String key, String value) {
        key(key);
        if (value == null) {
            b.append("null");
        } else {
            quote(value);
        }
        comma = true;
        return this;
    }

    JsonText field(String key, long value) {
        key(key);
        b.append(value);
        comma = true;
        return this;
    }

    JsonText field(String key, boolean value) {
        key(key);
        b.append(value);
        comma = true;
        return this;
    }

    JsonText field(String key, Integer value) {
        key(key);
        b.append(value == null ? "null" : value.toString());
        comma = true;
        return this;
    }

    /** Epoch milliseconds as an ISO-8601 UTC instant; 0 or less as null. */
    JsonText time(String key, long epochMillis) {
        return field(key, epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString());
    }

    JsonText strings(String key, List<String> values) {
        beginArray(key);
        for (String v : values) {
            sep();
            quote(v);
            comma = true;
        }
        return endArray();
    }

    private void key(String key) {
        sep();
        quote(key);
        b.append(':');
        comma = false;
    }

    private void sep() {
        if (comma) {
            b.append(',');
        }
    }

    private void quote(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
