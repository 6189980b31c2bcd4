package dev.steadfast.archive.query;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;

import java.util.regex.Pattern;

/**
 * Checks DA, TM and DT matching key values (single values and ranges, PS3.4 C.2.2.2.5) before
 * anything is matched. Why: an invalid date used to match nothing without a word, or be called a
 * "malformed range", depending on its form and the front door (issue 13); it is now one clear
 * error naming the attribute. Accepted: DA {@code YYYYMMDD} (and the old {@code YYYY.MM.DD}), TM
 * {@code HH[MM[SS[.F{1,6}]]]} (and the old {@code HH:MM:SS}), DT {@code YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]]}
 * with an optional {@code +/-HHMM} offset; each part within its calendar or clock bounds.
 */
final class TemporalKeys {
    private static final Pattern DA = Pattern.compile("(\\d{4})\\.?(\\d{2})\\.?(\\d{2})");
    private static final Pattern TM = Pattern.compile("(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:\\.(\\d{1,6}))?)?)?");
    private static final Pattern DT = Pattern.compile(
            "(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,6}))?)?)?)?)?)?([+-]\\d{4})?");

    private TemporalKeys() {}

    /** Checks every value of a key of this VR; anything but DA, TM and DT passes. */
    static void check(int tag, VR vr, String[] values) {
        if (vr != VR.DA && vr != VR.TM && vr != VR.DT) {
            return;
        }
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                checkRange(tag, vr, v.strip());
            }
        }
    }

    /** One value: a single value or a range; {@code -} alone and the universal {@code *} are not dates. */
    static void checkRange(int tag, VR vr, String value) {
        if (value.equals("*")) {
            return; // universal matching, as for any other key
        }
        String[] ends;
        if (vr == VR.DT) {
            ends = splitDateTime(value);
        } else {
            int dash = value.indexOf('-');
            ends = dash < 0 ? new String[] {value} : new String[] {value.substring(0, dash), value.substring(dash + 1)};
        }
        if (ends.length == 2 && ends[0].isBlank() && ends[1].isBlank()) {
            throw invalid(tag, vr, value);
        }
        for (String end : ends) {
            String e = end.strip();
            if (!e.isEmpty() && !valid(vr, e)) {
                throw invalid(tag, vr, value);
            }
        }
    }

    /** A DT range splits at the dash that is not a UTC offset (offsets follow at least four digits of a value). */
    private static String[] splitDateTime(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '-') {
                String left = value.substring(0, i);
                String right = value.substring(i + 1);
                if (left.isEmpty() || valid(VR.DT, left.strip()) && (right.isBlank() || valid(VR.DT, right.strip()))) {
                    return new String[] {left, right};
                }
            }
        }
        return new String[] {value};
    }

    private static boolean valid(VR vr, String v) {
        return switch (vr) {
            case DA -> date(v);
            case TM -> time(v);
            default -> dateTime(v);
        };
    }

    static boolean date(String v) {
        var m = DA.matcher(v);
        if (!m.matches()) {
            return false;
        }
        // Either both dots (the old form) or none.
        if (v.length() != 8 && v.length() != 10) {
            return false;
        }
        return calendar(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    static boolean time(String v) {
        var m = TM.matcher(v);
        return m.matches() && clock(m.group(1), m.group(2), m.group(3));
    }

    static boolean dateTime(String v) {
        var m = DT.matcher(v);
        if (!m.matches()) {
            return false;
        }
        int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        if (!calendar(Integer.parseInt(m.group(1)), month, day) || !clock(m.group(4), m.group(5), m.group(6))) {
            return false;
        }
        String offset = m.group(8);
        return offset == null || Integer.parseInt(offset.substring(1, 3)) <= 14 && Integer.parseInt(offset.substring(3)) < 60;
    }

    private static boolean calendar(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    /** Hours 00-23, minutes 00-59, seconds 00-60 (a leap second); absent parts pass. */
    private static boolean clock(String hh, String mm, String ss) {
        return (hh == null || Integer.parseInt(hh) < 24) && (mm == null || Integer.parseInt(mm) < 60)
                && (ss == null || Integer.parseInt(ss) <= 60);
    }

    private static InvalidQueryException invalid(int tag, VR vr, String value) {
        String what = switch (vr) {
            case DA -> "date (YYYYMMDD)";
            case TM -> "time (HHMMSS.FFFFFF)";
            default -> "date-time (YYYYMMDDHHMMSS.FFFFFF&ZZXX)";
        };
        String keyword = ElementDictionary.keywordOf(tag);
        String name = (keyword == null || keyword.isEmpty() ? "" : keyword + " ") + Tag.toString(tag);
        String shown = value.length() > 32 ? value.substring(0, 32) + "..." : value;
        // The attribute first: C-FIND's error comment keeps only 64 characters.
        return new InvalidQueryException(name + ": invalid " + what + " '" + shown + "'", tag);
    }
}
