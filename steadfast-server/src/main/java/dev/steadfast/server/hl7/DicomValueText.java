package dev.steadfast.server.hl7;

import ca.uhn.hl7v2.ErrorCode;

/**
 * What an HL7 field may hold to become a DICOM value. HAPI undoes HL7's escape sequences, so {@code \E\}
 * arrives as a backslash and {@code \S\} as a caret: in DICOM the backslash separates values (a Patient ID
 * {@code 12\E\34} would become two IDs) and the caret and equals sign separate a person name's components
 * and groups ({@code O\S\BRIEN} would become family {@code O}, given {@code BRIEN}). Such a value, or one
 * with control characters (a line break from a hex escape), is refused rather than silently changed:
 * the message is answered AE and kept as a dead letter (docs/HL7.md). The refusal names the field, never
 * the value (it is logged).
 */
final class DicomValueText {
    private DicomValueText() {
    }

    /** {@code v} (null passes) when it can be one DICOM value; {@code where} is the field, e.g. {@code PID-3.1}. */
    static String value(String v, String where) throws Hl7Rejection {
        return check(v, where, false);
    }

    /** {@code v} (null passes) when it can be one component of a DICOM person name. */
    static String nameComponent(String v, String where) throws Hl7Rejection {
        return check(v, where, true);
    }

    private static String check(String v, String where, boolean nameComponent) throws Hl7Rejection {
        if (v == null) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            String why = c == '\\' ? "a backslash (\\E\\ or an escape left as text), the DICOM value separator"
                    : c < 0x20 || c == 0x7f ? "a control character"
                    : nameComponent && c == '^' ? "a caret (\\S\\), the DICOM person name component separator"
                    : nameComponent && c == '=' ? "an equals sign, the DICOM person name group separator"
                    : null;
            if (why != null) {
                throw new Hl7Rejection(where + " holds " + why + ", which a DICOM value cannot carry",
                        ErrorCode.DATA_TYPE_ERROR);
            }
        }
        return v;
    }
}
