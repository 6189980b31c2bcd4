package dev.steadfast.dicom.charset;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes one value with code extensions as PS3.5 Annexes H, I and J show: designate a set
 * by escape sequence when a character needs it, and switch back to the initial sets
 * before each delimiter and at the end of the value. Not thread-safe; one per value.
 */
final class Iso2022Encoder {

    private static final int REPLACEMENT = '?';

    private final Iso2022Codec codec;
    private final Mode mode;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<GraphicSet, CharsetEncoder> encoders = new EnumMap<>(GraphicSet.class);
    private GraphicSet g0;
    private GraphicSet g1;

    Iso2022Encoder(Iso2022Codec codec, Mode mode) {
        this.codec = codec;
        this.mode = mode;
        this.g0 = codec.initialG0();
        this.g1 = codec.initialG1();
    }

    byte[] encode(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                writeSingleByte(cp);
            } else {
                writeGraphic(cp);
            }
        }
        restoreInitial();
        return out.toByteArray();
    }

    private void writeSingleByte(int b) {
        if (mode.resetsAt(b)) {
            restoreInitial();
        } else if (g0.multiByte()) {
            designate(codec.initialG0());
        }
        out.write(b);
    }

    /** Prefers the sets already designated, so a run of kanji needs one escape. */
    private void writeGraphic(int cp) {
        for (GraphicSet set : new GraphicSet[] {g0, g1}) {
            if (set != null && tryWrite(set, cp)) {
                return;
            }
        }
        for (GraphicSet set : codec.declared()) {
            if (tryWrite(set, cp)) {
                return;
            }
        }
        writeSingleByte(REPLACEMENT);
    }

    private boolean tryWrite(GraphicSet set, int cp) {
        byte[] bytes = encodeIn(set, cp);
        if (bytes == null) {
            return false;
        }
        designate(set);
        out.writeBytes(bytes);
        return true;
    }

    /** The character's bytes in the set's own range (GL for G0, GR for G1), or null. */
    private byte[] encodeIn(GraphicSet set, int cp) {
        if (!Character.isBmpCodePoint(cp)) {
            return null;
        }
        CharsetEncoder encoder = encoders.computeIfAbsent(set, s -> s.charset().newEncoder());
        if (!encoder.canEncode((char) cp)) {
            return null;
        }
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(new char[] {(char) cp}));
        } catch (CharacterCodingException e) {
            return null;
        }
        if (encoded.remaining() != set.bytesPerChar()) {
            return null; // e.g. EUC-KR writing ASCII as one byte
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        for (byte b : bytes) {
            int v = b & 0xFF;
            boolean inRange = set.slot() == GraphicSet.Slot.G0 ? v >= 0x21 && v <= 0x7E : v >= 0xA0;
            if (!inRange) {
                return null;
            }
        }
        return bytes;
    }

    private void designate(GraphicSet set) {
        if (set.slot() == GraphicSet.Slot.G0 && g0 != set) {
            out.writeBytes(set.escape());
            g0 = set;
        } else if (set.slot() == GraphicSet.Slot.G1 && g1 != set) {
            out.writeBytes(set.escape());
            g1 = set;
        }
    }

    private void restoreInitial() {
        if (g0 != codec.initialG0()) {
            designate(codec.initialG0());
        }
        if (codec.initialG1() != null && g1 != codec.initialG1()) {
            designate(codec.initialG1());
        }
        // A G1 set designated only within this component needs no escape back: readers
        // reset at the delimiter (PS3.5 I.2 writes none), and GL bytes never reach G1.
        g1 = codec.initialG1();
    }
}
