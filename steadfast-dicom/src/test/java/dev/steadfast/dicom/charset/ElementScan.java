package dev.steadfast.dicom.charset;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds an element's value by its explicit VR little endian header bytes (tag, VR,
 * 16-bit length). Good enough for the small charset samples; not a DICOM parser.
 */
final class ElementScan {

    private ElementScan() {
    }

    /** Offset of the first header of (group,element) with this VR from {@code from}, or -1. */
    static int find(byte[] file, int group, int element, String vr, int from) {
        byte[] header = header(group, element, vr);
        for (int i = from; i + header.length + 2 <= file.length; i++) {
            if (Arrays.equals(file, i, i + header.length, header, 0, header.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Offset of the last header of (group,element) with this VR before {@code before}, or -1. */
    static int findLast(byte[] file, int group, int element, String vr, int before) {
        int found = -1;
        for (int at = find(file, group, element, vr, 0); at >= 0 && at < before; at = find(file, group, element, vr, at + 1)) {
            found = at;
        }
        return found;
    }

    static int valueOffset(int header) {
        return header + 8;
    }

    static int valueLength(byte[] file, int header) {
        return (file[header + 6] & 0xFF) | (file[header + 7] & 0xFF) << 8;
    }

    private static byte[] header(int group, int element, String vr) {
        byte[] v = vr.getBytes(StandardCharsets.US_ASCII);
        return new byte[] {(byte) group, (byte) (group >> 8), (byte) element, (byte) (element >> 8), v[0], v[1]};
    }
}
