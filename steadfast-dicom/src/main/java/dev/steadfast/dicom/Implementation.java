package dev.steadfast.dicom;

/** How Steadfast identifies itself in file meta information and association negotiation. */
public final class Implementation {
    private Implementation() {}

    /**
     * A UUID-derived UID (PS3.5 B.2, root 2.25): Steadfast has no registered org root, and a
     * UUID UID is unique without one.
     */
    public static final String CLASS_UID = "2.25.264397935971099531162048841568654343630";

    /** At most 16 characters (SH). */
    public static final String VERSION_NAME = "STEADFAST_0_1";
}
