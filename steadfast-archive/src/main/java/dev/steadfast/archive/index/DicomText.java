package dev.steadfast.archive.index;

import java.util.Locale;

/** Normalisations shared by the index (when writing) and the query engine (when matching). */
public final class DicomText {
    private DicomText() {}

    /** DA as YYYYMMDD (the old YYYY.MM.DD form loses its dots); null for empty. */
    public static String normalizeDate(String da) {
        if (da == null || da.isBlank()) {
            return null;
        }
        return da.strip().replace(".", "");
    }

    /**
     * TM as HHMMSS.FFFFFF, missing parts as zeros (the old HH:MM:SS form loses its colons), so
     * that text order is time order; null for empty.
     */
    public static String normalizeTime(String tm) {
        return padTime(tm, '0');
    }

    /** The latest time a partial TM stands for: "10" is 10:59:59.999999 (an inclusive upper bound). */
    public static String normalizeTimeUpper(String tm) {
        return padTime(tm, '9');
    }

    private static String padTime(String tm, char fill) {
        if (tm == null || tm.isBlank()) {
            return null;
        }
        String t = tm.strip().replace(":", "");
        int dot = t.indexOf('.');
        String whole = dot >= 0 ? t.substring(0, dot) : t;
        String frac = dot >= 0 ? t.substring(dot + 1) : "";
        boolean upper = fill == '9';
        if (whole.length() < 2) {
            return upper ? "235959.999999" : "000000.000000";
        }
        StringBuilder sb = new StringBuilder(whole.length() > 6 ? whole.substring(0, 6) : whole);
        while (sb.length() < 6) {
            // minutes and seconds: tens digit then units digit (an upper bound is :59)
            sb.append(upper ? (sb.length() % 2 == 0 ? '5' : '9') : '0');
        }
        sb.append('.').append(frac.length() > 6 ? frac.substring(0, 6) : frac);
        while (sb.length() < 13) {
            sb.append(fill);
        }
        return sb.toString();
    }

    /** Person names and other text compared ignoring case: upper case, locale-neutral. */
    public static String fold(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** Whether a DICOM key value uses the wildcards {@code *} or {@code ?}. */
    public static boolean hasWildcard(String v) {
        return v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
    }

    /**
     * A range key "a-b", "-b", "a-" or "a" into {lower, upper}, null for an open end.
     *
     * @throws IllegalArgumentException for more than one dash
     */
    public static String[] splitRange(String range) {
        if (range == null || range.isBlank()) {
            return new String[] {null, null};
        }
        String r = range.strip();
        int dash = r.indexOf('-');
        if (dash < 0) {
            return new String[] {r, r};
        }
        String a = r.substring(0, dash).strip();
        String b = r.substring(dash + 1).strip();
        if (b.contains("-")) {
            throw new IllegalArgumentException("malformed range '" + range + "'");
        }
        return new String[] {a.isEmpty() ? null : a, b.isEmpty() ? null : b};
    }
}
