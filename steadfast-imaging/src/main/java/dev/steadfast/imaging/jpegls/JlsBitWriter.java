package dev.steadfast.imaging.jpegls;

import java.io.ByteArrayOutputStream;

/** Writes JPEG-LS entropy-coded bits with the 7-bit stuffing after 0xFF (T.87 A.1). */
final class JlsBitWriter {
    private final ByteArrayOutputStream out;
    private int cur;
    private int free = 8;

    JlsBitWriter(ByteArrayOutputStream out) {
        this.out = out;
    }

    void write(int value, int bits) {
        for (int i = bits - 1; i >= 0; i--) {
            bit((value >>> i) & 1);
        }
    }

    void zeros(int n) {
        for (int i = 0; i < n; i++) {
            bit(0);
        }
    }

    private void bit(int b) {
        cur = (cur << 1) | b;
        if (--free == 0) {
            out.write(cur);
            free = cur == 0xFF ? 7 : 8;
            cur = 0;
        }
    }

    /** Pads the last byte with zeros (after 0xFF that is the stuffed zero byte a marker search needs). */
    void flush() {
        if (free < 8) {
            out.write(cur << free);
        }
        free = 8;
        cur = 0;
    }
}
