package dev.steadfast.imaging.jpeg.dct;

import dev.steadfast.imaging.PixelDataException;

import java.util.ArrayList;
import java.util.List;

/** A SOF0/SOF1 frame header (T.81 B.2.2): precision, size and components with their sampling factors. */
record FrameHeader(int precision, int rows, int columns, List<Component> components, int hMax, int vMax) {

    /** Parses the segment body (after the length field). */
    static FrameHeader parse(byte[] b, int p, int length, int marker) {
        if (length < 6) {
            throw new PixelDataException("JPEG frame header too short");
        }
        int precision = b[p] & 0xFF;
        int rows = u16(b, p + 1);
        int columns = u16(b, p + 3);
        int n = b[p + 5] & 0xFF;
        if (precision != 8 && !(precision == 12 && marker == 0xC1)) {
            throw new PixelDataException("JPEG SOF" + (marker - 0xC0) + " with " + precision
                    + "-bit samples: sequential DCT allows 8 bits (SOF0) or 8 and 12 bits (SOF1)");
        }
        if (rows == 0) {
            throw new PixelDataException("JPEG frame height 0 (height in a DNL marker) is not supported");
        }
        if (columns == 0 || n < 1 || n > 4 || length != 6 + 3 * n) {
            throw new PixelDataException("bad JPEG frame header: " + columns + " columns, " + n + " components, length " + length);
        }
        int hMax = 1;
        int vMax = 1;
        for (int i = 0; i < n; i++) {
            int hv = b[p + 7 + 3 * i] & 0xFF;
            int h = hv >> 4;
            int v = hv & 15;
            if (h < 1 || h > 4 || v < 1 || v > 4 || (b[p + 8 + 3 * i] & 0xFF) > 3) {
                throw new PixelDataException("bad JPEG component " + i + ": sampling " + h + "x" + v
                        + ", quantization table " + (b[p + 8 + 3 * i] & 0xFF));
            }
            hMax = Math.max(hMax, h);
            vMax = Math.max(vMax, v);
        }
        List<Component> cs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = b[p + 6 + 3 * i] & 0xFF;
            int hv = b[p + 7 + 3 * i] & 0xFF;
            for (Component c : cs) {
                if (c.id == id) {
                    throw new PixelDataException("JPEG frame header names component " + id + " twice");
                }
            }
            Component c = new Component(id, hv >> 4, hv & 15, b[p + 8 + 3 * i] & 0xFF, columns, rows, hMax, vMax);
            cs.add(c);
        }
        return new FrameHeader(precision, rows, columns, List.copyOf(cs), hMax, vMax);
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    int mcusPerLine() { return Component.ceilDiv(columns, 8 * hMax); }

    int mcuRows() { return Component.ceilDiv(rows, 8 * vMax); }

    Component component(int id) {
        for (Component c : components) {
            if (c.id == id) {
                return c;
            }
        }
        throw new PixelDataException("JPEG scan names component " + id + ", which the frame header lacks");
    }
}
