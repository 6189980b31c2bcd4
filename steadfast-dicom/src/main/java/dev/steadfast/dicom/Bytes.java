package dev.steadfast.dicom;

/** Little helpers for the two byte orders DICOM uses. */
public final class Bytes {
    private Bytes() {}

    public static int uint16(byte[] b, int off, boolean bigEndian) {
        return bigEndian ? ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF)
                : (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
    }

    public static int int32(byte[] b, int off, boolean bigEndian) {
        return bigEndian
                ? ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF)
                : (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 24);
    }

    public static long uint32LE(byte[] b, int off) {
        return int32(b, off, false) & 0xFFFFFFFFL;
    }

    public static long int64(byte[] b, int off, boolean bigEndian) {
        long hi = int32(b, off + (bigEndian ? 0 : 4), bigEndian) & 0xFFFFFFFFL;
        long lo = int32(b, off + (bigEndian ? 4 : 0), bigEndian) & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    public static void putUint16(byte[] b, int off, int v, boolean bigEndian) {
        if (bigEndian) {
            b[off] = (byte) (v >>> 8);
            b[off + 1] = (byte) v;
        } else {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
        }
    }

    public static void putInt32(byte[] b, int off, int v, boolean bigEndian) {
        if (bigEndian) {
            putUint16(b, off, v >>> 16, true);
            putUint16(b, off + 2, v, true);
        } else {
            putUint16(b, off, v, false);
            putUint16(b, off + 2, v >>> 16, false);
        }
    }

    public static void putInt64(byte[] b, int off, long v, boolean bigEndian) {
        putInt32(b, off + (bigEndian ? 0 : 4), (int) (v >>> 32), bigEndian);
        putInt32(b, off + (bigEndian ? 4 : 0), (int) v, bigEndian);
    }

    /** A copy with every {@code width}-byte unit reversed: converts between byte orders. */
    public static byte[] swapped(byte[] b, int width) {
        byte[] out = b.clone();
        if (width <= 1) {
            return out;
        }
        int n = b.length - b.length % width;
        for (int i = 0; i < n; i += width) {
            for (int j = 0; j < width; j++) {
                out[i + j] = b[i + width - 1 - j];
            }
        }
        return out;
    }
}
