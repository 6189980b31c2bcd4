package dev.steadfast.dicom.charset;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;

/**
 * The ISO 2022 code elements of PS3.3 Tables C.12-3 and C.12-4: which slot each is
 * designated to, by which escape sequence, and which JDK charset reads its bytes.
 */
enum GraphicSet {
    ASCII(Slot.G0, 1, "US-ASCII", "(B"),
    // Decoded as ASCII: 5/12 must stay the '\' delimiter, as every DICOM reader treats it.
    JIS_X0201_ROMAN(Slot.G0, 1, "US-ASCII", "(J"),
    JIS_X0201_KATAKANA(Slot.G1, 1, "JIS_X0201", ")I"),
    LATIN_1(Slot.G1, 1, "ISO-8859-1", "-A"),
    LATIN_2(Slot.G1, 1, "ISO-8859-2", "-B"),
    LATIN_3(Slot.G1, 1, "ISO-8859-3", "-C"),
    LATIN_4(Slot.G1, 1, "ISO-8859-4", "-D"),
    CYRILLIC(Slot.G1, 1, "ISO-8859-5", "-L"),
    ARABIC(Slot.G1, 1, "ISO-8859-6", "-G"),
    GREEK(Slot.G1, 1, "ISO-8859-7", "-F"),
    HEBREW(Slot.G1, 1, "ISO-8859-8", "-H"),
    LATIN_5(Slot.G1, 1, "ISO-8859-9", "-M"),
    LATIN_9(Slot.G1, 1, "ISO-8859-15", "-b"),
    THAI(Slot.G1, 1, "TIS-620", "-T"),
    // "$@" is the 1978 edition; old Japanese writers still emit it.
    JIS_X0208(Slot.G0, 2, "x-JIS0208", "$B", "$@"),
    JIS_X0212(Slot.G0, 2, "JIS_X0212-1990", "$(D"),
    KS_X1001(Slot.G1, 2, "EUC-KR", "$)C"),
    GB2312(Slot.G1, 2, "GB2312", "$)A");

    enum Slot { G0, G1 }

    static final byte ESC = 0x1B;

    private final Slot slot;
    private final int bytesPerChar;
    private final Charset charset;
    private final List<byte[]> escapes;

    GraphicSet(Slot slot, int bytesPerChar, String charsetName, String... escapes) {
        this.slot = slot;
        this.bytesPerChar = bytesPerChar;
        this.charset = lookup(charsetName);
        this.escapes = Arrays.stream(escapes)
                .map(e -> ("\u001b" + e).getBytes(StandardCharsets.US_ASCII))
                .toList();
    }

    Slot slot() {
        return slot;
    }

    int bytesPerChar() {
        return bytesPerChar;
    }

    boolean multiByte() {
        return bytesPerChar > 1;
    }

    /** Null where this JDK lacks the charset; terms using the set are then unknown. */
    Charset charset() {
        return charset;
    }

    /** The escape sequence that designates this set, ESC included. */
    byte[] escape() {
        return escapes.getFirst().clone();
    }

    /** The set designated by the escape sequence at {@code pos}, or null. */
    static GraphicSet atEscape(byte[] bytes, int pos, int end) {
        for (GraphicSet set : values()) {
            if (set.escapeLength(bytes, pos, end) > 0) {
                return set;
            }
        }
        return null;
    }

    /** Length of this set's escape sequence at {@code pos}, or 0 if none starts there. */
    int escapeLength(byte[] bytes, int pos, int end) {
        for (byte[] escape : escapes) {
            if (Arrays.equals(bytes, pos, Math.min(end, pos + escape.length), escape, 0, escape.length)) {
                return escape.length;
            }
        }
        return 0;
    }

    private static Charset lookup(String name) {
        try {
            return Charset.forName(name);
        } catch (UnsupportedCharsetException | IllegalCharsetNameException e) {
            return null;
        }
    }
}
