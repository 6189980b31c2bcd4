package dev.steadfast.web.wado;

import dev.steadfast.dicom.TransferSyntax;

/** The media type a frame takes in each transfer syntax (PS3.18 Table 8.7.3-2 and -5). */
public final class FrameMediaTypes {
    public static final String OCTET = "application/octet-stream";

    private FrameMediaTypes() {}

    /** The default transfer syntax of a frame media type (PS3.18 Tables 8.7.3-4, -5), all lossless; null if none. */
    public static String defaultSyntax(String mediaType) {
        return switch (mediaType) {
            case OCTET -> "1.2.840.10008.1.2.1";
            case "image/jpeg" -> "1.2.840.10008.1.2.4.70";
            case "image/jls" -> "1.2.840.10008.1.2.4.80";
            case "image/jp2" -> "1.2.840.10008.1.2.4.90";
            case "image/jpx" -> "1.2.840.10008.1.2.4.92";
            case "image/jphc" -> "1.2.840.10008.1.2.4.201";
            case "image/dicom-rle" -> "1.2.840.10008.1.2.5";
            default -> null;
        };
    }

    public static String of(String tsUid) {
        if (TransferSyntax.of(tsUid).isNative()) {
            return OCTET;
        }
        return switch (tsUid) {
            case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
                 "1.2.840.10008.1.2.4.70" -> "image/jpeg";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "image/jls";
            case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "image/jp2";
            case "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93" -> "image/jpx";
            case "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" -> "image/jphc";
            case "1.2.840.10008.1.2.5" -> "image/dicom-rle";
            case "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101" -> "video/mpeg";
            case "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104",
                 "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106" -> "video/mp4";
            case "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108" -> "video/H265";
            default -> OCTET;
        };
    }
}
