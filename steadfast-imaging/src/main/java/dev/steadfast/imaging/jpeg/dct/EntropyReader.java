package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.PixelDataException;

/**
 * The bits of one entropy-coded segment (ITU-T T.81 F.2.2.5): removes stuffed zero bytes and
 * stops at the next marker. Reading past the marker is an error (truncated or corrupt data),
 * never an endless supply of zero bits.
 */
final class EntropyReader {
    private final byte[] data;
    private int pos;
    private long bits;
    private int count;
    /** How many of the low {@code count} bits are padding after a marker or the end of the data. */
    private int padBits;
    /** The marker that ended the segment, or -1; {@link #END} when the data ran out. */
    private int marker = -1;
    static final int END = 0x100;

    EntropyReader(byte[] data, int pos) {
        this.data = data;
        this.pos = pos;
    }

    private void fill() {
        while (count <= 56) {
            int b = 0;
            if (marker < 0) {
                b = next();
            }
            if (marker >= 0) {
                b = 0;
                padBits += 8;
            }
            bits = bits << 8 | b;
            count += 8;
        }
    }

    /** The next data byte, or sets {@link #marker} (and leaves {@link #pos} after it). */
    private int next() {
        if (pos >= data.length) {
            marker = END;
            return 0;
        }
        int b = data[pos++] & 0xFF;
        if (b != 0xFF) {
            return b;
        }
        while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
            pos++; // fill bytes
        }
        if (pos >= data.length) {
            marker = END;
            return 0;
        }
        int m = data[pos++] & 0xFF;
        if (m == 0) {
            return 0xFF;
        }
        marker = m;
        return 0;
    }

    int peek(int n) {
        if (count < n) {
            fill();
        }
        return (int) (bits >>> (count - n)) & ((1 << n) - 1);
    }

    void skip(int n) {
        if (n > count - padBits) {
            throw new PixelDataException("JPEG entropy-coded data ends early (truncated or corrupt)"
                    + (marker == END ? "" : String.format(": marker FF%02X inside a scan", marker)));
        }
        count -= n;
    }

    int bits(int n) {
        int v = peek(n);
        skip(n);
        return v;
    }

    /** T.81 F.2.2.1 RECEIVE then EXTEND: an {@code s}-bit magnitude category to a signed value. */
    int receiveExtend(int s) {
        if (s == 0) {
            return 0;
        }
        int v = bits(s);
        return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }

    /** Consumes the RSTn marker expected after a restart interval; discards the padding bits before it. */
    void restart(int n) {
        count = 0;
        padBits = 0;
        bits = 0;
        if (marker < 0) {
            next();
            if (marker < 0) {
                throw new PixelDataException("JPEG restart marker RST" + n + " missing: extra data in a restart interval");
            }
        }
        if (marker != 0xD0 + n) {
            throw new PixelDataException(marker == END ? "JPEG data ends before restart marker RST" + n
                    : String.format("JPEG marker FF%02X found where RST%d was expected", marker, n));
        }
        marker = -1;
    }

    /** Offset of the 0xFF of the marker after this segment (skipping any stray bytes), or the data length. */
    int markerOffset() {
        if (marker == END) {
            return data.length;
        }
        if (marker >= 0) {
            return pos - 2;
        }
        int p = pos;
        while (p + 1 < data.length && !((data[p] & 0xFF) == 0xFF && (data[p + 1] & 0xFF) != 0 && (data[p + 1] & 0xFF) != 0xFF)) {
            p++;
        }
        return p + 1 < data.length ? p : data.length;
    }
}
