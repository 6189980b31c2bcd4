package dev.steadfast.imaging.jpegls;

import dev.steadfast.imaging.PixelDataException;

/** Reads JPEG-LS entropy-coded bits: after an 0xFF byte the next byte carries only 7 bits (T.87 A.1). */
final class JlsBitReader {
    private final byte[] data;
    private int pos;
    private int cur;
    private int left;
    private boolean afterFF;

    JlsBitReader(byte[] data, int pos) {
        this.data = data;
        this.pos = pos;
    }

    int readBit() {
        if (left == 0) {
            if (pos >= data.length) {
                throw new PixelDataException("JPEG-LS scan data ends early");
            }
            cur = data[pos++] & 0xFF;
            left = afterFF ? 7 : 8;
            afterFF = cur == 0xFF;
        }
        left--;
        return (cur >>> left) & 1;
    }

    int read(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | readBit();
        }
        return v;
    }

    /** Zero bits before the next one bit, bounded so corrupt data cannot spin. */
    int readUnary(int max) {
        int n = 0;
        while (readBit() == 0) {
            if (++n > max) {
                throw new PixelDataException("corrupt JPEG-LS data: Golomb code too long");
            }
        }
        return n;
    }

    /** Position of the marker that follows the scan. */
    int endOfScan() {
        int i = pos;
        while (i + 1 < data.length && !((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) >= 0x80)) {
            i++;
        }
        return i;
    }
}
