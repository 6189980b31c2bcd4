package dev.steadfast.dicom.value;

import java.util.ArrayList;
import java.util.List;

/**
 * A PN value: up to three component groups (alphabetic, ideographic, phonetic), each of up to
 * five components (family, given, middle, prefix, suffix). Keeps the text so it round-trips.
 */
public record PersonName(String alphabetic, String ideographic, String phonetic) {

    public static PersonName parse(String text) {
        if (text == null) {
            return null;
        }
        String[] g = text.split("=", -1);
        return new PersonName(g[0], g.length > 1 ? g[1] : "", g.length > 2 ? g[2] : "");
    }

    /** The components of a group: family, given, middle, prefix, suffix (missing ones are empty). */
    public static List<String> components(String group) {
        String[] parts = group.split("\\^", -1);
        List<String> out = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            out.add(i < parts.length ? parts[i] : "");
        }
        return out;
    }

    public String familyName() { return components(alphabetic).get(0); }

    public String givenName() { return components(alphabetic).get(1); }

    /** The DICOM encoding, without trailing empty groups. */
    @Override
    public String toString() {
        if (!phonetic.isEmpty()) {
            return alphabetic + "=" + ideographic + "=" + phonetic;
        }
        if (!ideographic.isEmpty()) {
            return alphabetic + "=" + ideographic;
        }
        return alphabetic;
    }
}
