package dev.steadfast.dicom;

/**
 * Value Representations of PS3.5 section 6.2, as facts: code, explicit-VR header length,
 * padding byte, value kind and the maximum length per value where the standard fixes one.
 */
public enum VR {
    AE(Kind.STRING, 8, ' ', 16),
    AS(Kind.STRING, 8, ' ', 4),
    AT(Kind.TAG, 8, 0, 4),
    CS(Kind.STRING, 8, ' ', 16),
    DA(Kind.STRING, 8, ' ', 18),
    DS(Kind.STRING, 8, ' ', 16),
    DT(Kind.STRING, 8, ' ', 54),
    FD(Kind.FLOAT64, 8, 0, 8),
    FL(Kind.FLOAT32, 8, 0, 4),
    IS(Kind.STRING, 8, ' ', 12),
    LO(Kind.TEXT_MULTI, 8, ' ', 64),
    LT(Kind.TEXT, 8, ' ', 10240),
    OB(Kind.BINARY, 12, 0, 0),
    OD(Kind.BINARY, 12, 0, 0),
    OF(Kind.BINARY, 12, 0, 0),
    OL(Kind.BINARY, 12, 0, 0),
    OV(Kind.BINARY, 12, 0, 0),
    OW(Kind.BINARY, 12, 0, 0),
    PN(Kind.PERSON_NAME, 8, ' ', 64),
    SH(Kind.TEXT_MULTI, 8, ' ', 16),
    SL(Kind.INT32, 8, 0, 4),
    SQ(Kind.SEQUENCE, 12, 0, 0),
    SS(Kind.INT16, 8, 0, 2),
    ST(Kind.TEXT, 8, ' ', 1024),
    SV(Kind.INT64, 12, 0, 8),
    TM(Kind.STRING, 8, ' ', 28),
    UC(Kind.TEXT_MULTI, 12, ' ', 0),
    UI(Kind.STRING, 8, 0, 64),
    UL(Kind.UINT32, 8, 0, 4),
    UN(Kind.BINARY, 12, 0, 0),
    UR(Kind.TEXT, 12, ' ', 0),
    US(Kind.UINT16, 8, 0, 2),
    UT(Kind.TEXT, 12, ' ', 0),
    UV(Kind.UINT64, 12, 0, 8);

    /** How a value of this VR is decoded. */
    public enum Kind {
        /** Backslash-separated ASCII (default repertoire) strings. */
        STRING,
        /** Backslash-separated strings in the Specific Character Set. */
        TEXT_MULTI,
        /** One string in the Specific Character Set; backslash is not a separator. */
        TEXT,
        PERSON_NAME,
        INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT32, FLOAT64, TAG,
        BINARY,
        SEQUENCE
    }

    private final Kind kind;
    private final int explicitHeaderLength;
    private final int paddingByte;
    private final int maxLength;
    private final int code;

    VR(Kind kind, int explicitHeaderLength, int paddingByte, int maxLength) {
        this.kind = kind;
        this.explicitHeaderLength = explicitHeaderLength;
        this.paddingByte = paddingByte;
        this.maxLength = maxLength;
        this.code = (name().charAt(0) << 8) | name().charAt(1);
    }

    public Kind kind() { return kind; }

    /** 8 for VRs with a 2-byte length field in explicit VR, 12 for those with reserved bytes and a 4-byte length. */
    public int explicitHeaderLength() { return explicitHeaderLength; }

    /** True when the explicit-VR header has 2 reserved bytes and a 32-bit length. */
    public boolean hasLongLength() { return explicitHeaderLength == 12; }

    /** Byte used to pad odd-length values to even length: space for text, NUL for UI and binary. */
    public int paddingByte() { return paddingByte; }

    /** Maximum length of one value in bytes or characters where the standard fixes one, 0 where it does not. */
    public int maxLength() { return maxLength; }

    /** The two ASCII characters as a big-endian 16-bit code, as they appear on the wire. */
    public int code() { return code; }

    public boolean isString() {
        return switch (kind) {
            case STRING, TEXT_MULTI, TEXT, PERSON_NAME -> true;
            default -> false;
        };
    }

    /** True for VRs whose values are subject to the Specific Character Set. */
    public boolean usesSpecificCharacterSet() {
        return kind == Kind.TEXT_MULTI || kind == Kind.TEXT || kind == Kind.PERSON_NAME;
    }

    /** Binary numeric or bulk VRs whose bytes are swapped in big endian. */
    public int bytesPerNumber() {
        return switch (this) {
            case US, SS, OW, AT -> 2;
            case UL, SL, FL, OF, OL -> 4;
            case FD, OD, SV, UV, OV -> 8;
            default -> 1;
        };
    }

    private static final VR[] BY_CODE = new VR[65536];
    static {
        for (VR vr : values()) {
            BY_CODE[vr.code] = vr;
        }
    }

    /** The VR for a 16-bit wire code, or null for an unknown code. */
    public static VR ofCode(int code) {
        return BY_CODE[code & 0xFFFF];
    }
}
