package dev.steadfast.dicom.charset;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.nio.charset.StandardCharsets;

/**
 * The ISO 2022 state machine for reading one value (ISO/IEC 2022 8-bit form): bytes
 * 0x21-0x7E belong to the set designated to G0, bytes 0xA0-0xFF to the set in G1, and
 * both revert to the initial designations at the delimiters of PS3.5 6.1.2.5.3.
 * Not thread-safe; one instance per value.
 */
final class Iso2022Decoder {

    private final Iso2022Codec codec;
    private final Mode mode;
    private final StringBuilder out = new StringBuilder();
    private GraphicSet g0;
    private GraphicSet g1;

    Iso2022Decoder(Iso2022Codec codec, Mode mode) {
        this.codec = codec;
        this.mode = mode;
        reset();
    }

    String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        if (plainAscii(bytes, offset, end)) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        int pos = offset;
        while (pos < end) {
            int b = bytes[pos] & 0xFF;
            if (b == GraphicSet.ESC) {
                pos = escape(bytes, pos, end);
            } else if (b >= 0x80) {
                pos = run(g1 != null ? g1 : codec.fallbackG1(), bytes, pos, end, 0x80, 0xFF);
            } else if (g0.multiByte() && b > 0x20 && b < 0x7F) {
                pos = run(g0, bytes, pos, end, 0x21, 0x7E);
            } else {
                // Only reached in a single-byte G0 set or for SPACE and controls, so a
                // delimiter byte here is never the second half of a double-byte character.
                if (mode.resetsAt(b)) {
                    reset();
                }
                out.append((char) b);
                pos++;
            }
        }
        return out.toString();
    }

    private int escape(byte[] bytes, int pos, int end) {
        GraphicSet set = GraphicSet.atEscape(bytes, pos, end);
        if (set == null) {
            out.append((char) GraphicSet.ESC); // not ours to interpret; keep it visible
            return pos + 1;
        }
        if (set.slot() == GraphicSet.Slot.G0) {
            g0 = set;
        } else {
            g1 = set;
        }
        return pos + set.escapeLength(bytes, pos, end);
    }

    /** Decodes the longest run of bytes in [low, high] with one set; a broken tail becomes U+FFFD. */
    private int run(GraphicSet set, byte[] bytes, int start, int end, int low, int high) {
        int pos = start;
        while (pos < end && (bytes[pos] & 0xFF) >= low && (bytes[pos] & 0xFF) <= high) {
            pos++;
        }
        out.append(new String(bytes, start, pos - start, set.charset()));
        return pos;
    }

    private void reset() {
        g0 = codec.initialG0();
        g1 = codec.initialG1();
    }

    private static boolean plainAscii(byte[] bytes, int pos, int end) {
        for (int i = pos; i < end; i++) {
            if (bytes[i] < 0 || bytes[i] == GraphicSet.ESC) {
                return false;
            }
        }
        return true;
    }
}
