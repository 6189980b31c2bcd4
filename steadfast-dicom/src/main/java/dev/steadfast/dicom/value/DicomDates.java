package dev.steadfast.dicom.value;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;

/**
 * DA, TM and DT values (PS3.5 6.2) to java.time. Missing trailing components take their
 * lowest value, so "2024" is 2024-01-01 and "10" is 10:00. Returns null for text that is
 * not a valid value rather than guessing.
 */
public final class DicomDates {
    private DicomDates() {}

    public static LocalDate parseDate(String da) {
        if (da == null) {
            return null;
        }
        String s = da.strip();
        // ACR-NEMA wrote dates as YYYY.MM.DD; PS3.5 still asks readers to accept it.
        if (s.length() == 10 && s.charAt(4) == '.' && s.charAt(7) == '.') {
            s = s.substring(0, 4) + s.substring(5, 7) + s.substring(8);
        }
        if (s.length() != 8 || !digits(s)) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                    Integer.parseInt(s.substring(6, 8)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static LocalTime parseTime(String tm) {
        if (tm == null) {
            return null;
        }
        String s = tm.strip().replace(":", "");
        String frac = "";
        int dot = s.indexOf('.');
        if (dot >= 0) {
            frac = s.substring(dot + 1);
            s = s.substring(0, dot);
        }
        if (s.isEmpty() || s.length() % 2 != 0 || s.length() > 6 || !digits(s) || !digits(frac) || frac.length() > 6) {
            return null;
        }
        try {
            int h = Integer.parseInt(s.substring(0, 2));
            int m = s.length() >= 4 ? Integer.parseInt(s.substring(2, 4)) : 0;
            int sec = s.length() >= 6 ? Integer.parseInt(s.substring(4, 6)) : 0;
            // Leap second 60 is legal in DICOM; java.time has none, so clamp.
            sec = Math.min(sec, 59);
            int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "000000").substring(0, 6)) * 1000;
            return LocalTime.of(h, m, sec, nanos);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A DT value as LocalDateTime, or OffsetDateTime when it carries a UTC offset. */
    public static Temporal parseDateTime(String dt) {
        if (dt == null) {
            return null;
        }
        String s = dt.strip();
        ZoneOffset offset = null;
        int sign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
        if (sign > 0) {
            try {
                offset = ZoneOffset.of(s.substring(sign, sign + 3) + ":" + s.substring(sign + 3));
            } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
                return null;
            }
            s = s.substring(0, sign);
        }
        int dot = s.indexOf('.');
        String date = s.substring(0, Math.min(dot < 0 ? s.length() : dot, Math.min(8, s.length())));
        if (date.length() < 4 || date.length() % 2 != 0 || !digits(date)) {
            return null;
        }
        LocalDate d = parseDate(date + "0101".substring(Math.max(0, date.length() - 4)));
        if (d == null) {
            return null;
        }
        LocalTime t = s.length() > 8 ? parseTime(s.substring(8)) : LocalTime.MIDNIGHT;
        if (t == null) {
            return null;
        }
        LocalDateTime ldt = LocalDateTime.of(d, t);
        return offset == null ? ldt : OffsetDateTime.of(ldt, offset);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
