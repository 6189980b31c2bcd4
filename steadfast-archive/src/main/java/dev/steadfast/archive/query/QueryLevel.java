package dev.steadfast.archive.query;

/** Query/Retrieve Level (0008,0052) values. */
public enum QueryLevel {
    PATIENT, STUDY, SERIES, IMAGE;

    /** Parses a Query/Retrieve Level value; QIDO's "INSTANCE" is accepted for IMAGE. */
    public static QueryLevel of(String value) {
        String v = value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT);
        return switch (v) {
            case "PATIENT" -> PATIENT;
            case "STUDY" -> STUDY;
            case "SERIES" -> SERIES;
            case "IMAGE", "INSTANCE" -> IMAGE;
            default -> throw new InvalidQueryException("unknown Query/Retrieve Level '" + value + "'");
        };
    }
}
