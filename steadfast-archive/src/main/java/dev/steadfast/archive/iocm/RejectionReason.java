package dev.steadfast.archive.iocm;

import java.util.Optional;

/**
 * The rejection reasons of a Key Object Selection rejection note (PS3.16 CID 7011 "Rejected for
 * ..."; IHE RAD IOCM): the note's Concept Name Code, coding scheme DCM. Each hides what the note
 * references; {@link #RETENTION_EXPIRED} also deletes the stored files.
 */
public enum RejectionReason {
    QUALITY("113001", "Rejected for Quality Reasons"),
    PATIENT_SAFETY("113037", "Rejected for Patient Safety Reasons"),
    INCORRECT_WORKLIST_ENTRY("113038", "Incorrect Modality Worklist Entry"),
    RETENTION_EXPIRED("113039", "Data Retention Policy Expired");

    private final String code;
    private final String meaning;

    RejectionReason(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The Code Value (0008,0100), scheme DCM. */
    public String code() { return code; }

    /** The standard's Code Meaning (what the admin API shows, whatever the note's own text). */
    public String meaning() { return meaning; }

    /** Whether the rejected instances' files are deleted too (not only hidden). */
    public boolean deletesFiles() { return this == RETENTION_EXPIRED; }

    /** The reason with this DCM code value, if it is one. */
    public static Optional<RejectionReason> of(String scheme, String code) {
        if (code == null || !"DCM".equals(scheme == null ? null : scheme.strip())) {
            return Optional.empty();
        }
        for (RejectionReason r : values()) {
            if (r.code.equals(code.strip())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The reason of a stored code value (the index keeps the code). */
    public static RejectionReason ofCode(String code) {
        return of("DCM", code).orElseThrow(() -> new IllegalArgumentException("not a rejection code: " + code));
    }
}
