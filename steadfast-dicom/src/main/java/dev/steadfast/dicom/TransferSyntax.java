package dev.steadfast.dicom;

/**
 * The encoding facts of a transfer syntax. Unknown UIDs are treated as explicit VR little
 * endian with encapsulated pixel data, which is what every compressed syntax of PS3.5 uses.
 */
public record TransferSyntax(String uid, boolean explicitVR, boolean bigEndian, boolean deflated, boolean encapsulated) {

    public static final TransferSyntax IMPLICIT_LE = new TransferSyntax(UID.ImplicitVRLittleEndian, false, false, false, false);
    public static final TransferSyntax EXPLICIT_LE = new TransferSyntax(UID.ExplicitVRLittleEndian, true, false, false, false);
    public static final TransferSyntax EXPLICIT_BE = new TransferSyntax(UID.ExplicitVRBigEndian, true, true, false, false);
    public static final TransferSyntax DEFLATED_LE = new TransferSyntax(UID.DeflatedExplicitVRLittleEndian, true, false, true, false);

    /** Deflated Image Frame Compression: each frame is deflated, the dataset itself is not. */
    private static final String DEFLATED_IMAGE_FRAME = "1.2.840.10008.1.2.8.1";
    private static final String ENCAPSULATED_UNCOMPRESSED = "1.2.840.10008.1.2.1.98";

    public static TransferSyntax of(String uid) {
        if (uid == null) {
            throw new IllegalArgumentException("transfer syntax UID is null");
        }
        String u = uid.strip();
        return switch (u) {
            case "1.2.840.10008.1.2" -> IMPLICIT_LE;
            case "1.2.840.10008.1.2.1" -> EXPLICIT_LE;
            case "1.2.840.10008.1.2.2" -> EXPLICIT_BE;
            case "1.2.840.10008.1.2.1.99" -> DEFLATED_LE;
            default -> new TransferSyntax(u, true, false, false, true);
        };
    }

    /** Native (not encapsulated) pixel data: the four syntaxes above. */
    public boolean isNative() {
        return !encapsulated;
    }

    public static boolean isKnownEncapsulated(String uid) {
        return uid.startsWith("1.2.840.10008.1.2.4.") || uid.equals("1.2.840.10008.1.2.5")
                || uid.equals(DEFLATED_IMAGE_FRAME) || uid.equals(ENCAPSULATED_UNCOMPRESSED);
    }
}
