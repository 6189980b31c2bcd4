package dev.steadfast.dicom.charset;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one attribute's values from a pydicom {@code to_json_dict()} oracle (PS3.18 F.2):
 * strings as they are, person names as their groups joined by '='. Just enough JSON for
 * arrays of strings and of flat string objects.
 */
final class PydicomOracle {

    private final String json;
    private int pos;

    private PydicomOracle(String json, int pos) {
        this.json = json;
        this.pos = pos;
    }

    /** The attribute's values joined by '\', from its first occurrence (items included). */
    static String value(String json, String tag) {
        String key = "\"" + tag + "\":{\"Value\":[";
        int at = json.indexOf(key);
        if (at < 0) {
            throw new AssertionError("oracle has no value for " + tag);
        }
        return new PydicomOracle(json, at + key.length()).values();
    }

    private String values() {
        List<String> values = new ArrayList<>();
        while (json.charAt(pos) != ']') {
            values.add(json.charAt(pos) == '{' ? personName() : string());
            if (json.charAt(pos) == ',') {
                pos++;
            }
        }
        return String.join("\\", values);
    }

    private String personName() {
        String[] groups = {"", "", ""};
        pos++; // {
        while (json.charAt(pos) != '}') {
            String name = string();
            pos++; // :
            String value = string();
            groups[List.of("Alphabetic", "Ideographic", "Phonetic").indexOf(name)] = value;
            if (json.charAt(pos) == ',') {
                pos++;
            }
        }
        pos++; // }
        String joined = String.join("=", groups);
        return joined.replaceAll("=+$", "");
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        pos++; // opening quote
        for (char c = json.charAt(pos++); c != '"'; c = json.charAt(pos++)) {
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = json.charAt(pos++);
            switch (escaped) {
                case 'u' -> {
                    out.append((char) Integer.parseInt(json, pos, pos + 4, 16));
                    pos += 4;
                }
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }
}
