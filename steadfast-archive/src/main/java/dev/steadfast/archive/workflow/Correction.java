package dev.steadfast.archive.workflow;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What an administrator may correct in a stored study (issue 18, IOCM "attribute corrections"):
 * the patient's identity and demographics and the study's request attributes, validated to their
 * VR. Anything else is refused by name: UIDs, dates of acquisition and the like are not
 * corrections but different objects.
 */
public final class Correction {
    /** A correctable attribute; {@code patient}: it belongs to the patient (every study of the patient shows it). */
    public enum Attribute {
        PATIENT_NAME(Tag.PatientName, "PatientName", VR.PN, 64 * 5, true),
        PATIENT_ID(Tag.PatientID, "PatientID", VR.LO, 64, true),
        ISSUER_OF_PATIENT_ID(Tag.IssuerOfPatientID, "IssuerOfPatientID", VR.LO, 64, true),
        PATIENT_BIRTH_DATE(Tag.PatientBirthDate, "PatientBirthDate", VR.DA, 8, true),
        PATIENT_SEX(Tag.PatientSex, "PatientSex", VR.CS, 16, true),
        ACCESSION_NUMBER(Tag.AccessionNumber, "AccessionNumber", VR.SH, 16, false),
        STUDY_DESCRIPTION(Tag.StudyDescription, "StudyDescription", VR.LO, 64, false),
        REFERRING_PHYSICIAN_NAME(Tag.ReferringPhysicianName, "ReferringPhysicianName", VR.PN, 64 * 5, false);

        final int tag;
        final String keyword;
        final VR vr;
        final int maxLength;
        final boolean patient;

        Attribute(int tag, String keyword, VR vr, int maxLength, boolean patient) {
            this.tag = tag;
            this.keyword = keyword;
            this.vr = vr;
            this.maxLength = maxLength;
            this.patient = patient;
        }

        public int tag() { return tag; }

        public String keyword() { return keyword; }

        public boolean patientLevel() { return patient; }

        /** "(0010,0010)", as audit records name it. */
        public String tagText() { return Tag.toString(tag); }
    }

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private final Map<Attribute, String> values;

    private Correction(Map<Attribute, String> values) {
        this.values = values;
    }

    public Map<Attribute, String> values() { return values; }

    public boolean has(Attribute a) { return values.containsKey(a); }

    public String get(Attribute a) { return values.get(a); }

    /**
     * Reads {@code keyword or tag (ggggeeee) -> value}; an empty value clears the attribute.
     *
     * @throws IllegalArgumentException naming the first key that is not correctable or the value that is invalid
     */
    public static Correction of(Map<String, String> body) {
        if (body.isEmpty()) {
            throw new IllegalArgumentException("nothing to correct: give one or more of " + names());
        }
        Map<Attribute, String> out = new EnumMap<>(Attribute.class);
        for (Map.Entry<String, String> e : body.entrySet()) {
            Attribute a = attribute(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("'" + e.getKey() + "' cannot be corrected; correctable: " + names());
            }
            String v = e.getValue() == null ? "" : e.getValue().strip();
            check(a, v);
            if (out.put(a, v) != null) {
                throw new IllegalArgumentException(a.keyword + " is given twice");
            }
        }
        return new Correction(out);
    }

    private static Attribute attribute(String key) {
        String k = key.strip();
        for (Attribute a : Attribute.values()) {
            if (a.keyword.equals(k) || String.format("%08X", a.tag).equalsIgnoreCase(k)) {
                return a;
            }
        }
        return null;
    }

    private static void check(Attribute a, String v) {
        if (v.length() > a.maxLength) {
            throw new IllegalArgumentException(a.keyword + " is longer than " + a.maxLength + " characters");
        }
        if (v.chars().anyMatch(c -> c < 0x20 || c == '\\' || c == 0x7F)) {
            throw new IllegalArgumentException(a.keyword + " holds a control character or a backslash (one value only)");
        }
        switch (a) {
            case PATIENT_ID -> {
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("PatientID cannot be empty");
                }
            }
            case PATIENT_BIRTH_DATE -> {
                if (!v.isEmpty()) {
                    try {
                        LocalDate.parse(v, DA);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("PatientBirthDate must be a date YYYYMMDD, not '" + v + "'");
                    }
                }
            }
            case PATIENT_SEX -> {
                if (!v.isEmpty() && !v.equals("M") && !v.equals("F") && !v.equals("O")) {
                    throw new IllegalArgumentException("PatientSex must be M, F, O or empty, not '" + v + "'");
                }
            }
            default -> {
            }
        }
    }

    private static String names() {
        StringBuilder b = new StringBuilder();
        for (Attribute a : Attribute.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(a.keyword);
        }
        return b.toString();
    }
}
