package dev.steadfast.server.hl7;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The character set of an HL7 v2 message on the wire (MSH-18, HL7 table 0211). Read: ASCII, UTF-8
 * ({@code UNICODE UTF-8}, and the default when MSH-18 is empty) and the single-byte ISO 8859 sets
 * ({@code 8859/1} to {@code 8859/9}, {@code 8859/15}), in which every delimiter is the ASCII byte.
 * The bytes must be valid in that set: a Latin-1 name sent without MSH-18 used to be read as UTF-8
 * with its letters replaced (U+FFFD) and answered AA, so the worklist and the stored studies got a
 * changed name. Such a message, and one naming another set, is now refused ({@link Undecodable}).
 * Written (acknowledgements, forwarded messages): in the set the text's own MSH-18 names.
 */
final class Hl7Charset {
    private Hl7Charset() {
    }

    /** The bytes of a message cannot be read as the text its MSH-18 says; {@code head} is its MSH (for the AR). */
    static final class Undecodable extends java.io.IOException {
        private static final long serialVersionUID = 1L;
        final transient String head;

        Undecodable(String message, String head) {
            super(message);
            this.head = head;
        }
    }

    /** The message's text from its bytes, in the set MSH-18 names. */
    static String decode(byte[] bytes) throws Undecodable {
        String head = latin1Head(bytes);
        Msh msh = Msh.of(head);
        String named = msh == null ? "" : msh.field(18).strip();
        Charset cs = charset(named);
        if (cs == null) {
            throw new Undecodable("character set MSH-18 '" + named + "' is not supported (ASCII, UNICODE UTF-8,"
                    + " 8859/1 to 8859/9 and 8859/15 are)", head);
        }
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Undecodable("the message is not valid " + (named.isEmpty() ? "UTF-8 (MSH-18 is empty)" : named)
                    + "; name its character set in MSH-18 (for example 8859/1)", head);
        }
    }

    /** {@code text} as bytes in the set its MSH-18 names (UTF-8 when none or one not supported). */
    static byte[] encode(String text) {
        Msh msh = Msh.of(text);
        Charset cs = msh == null ? null : charset(msh.field(18).strip());
        return text.getBytes(cs == null ? StandardCharsets.UTF_8 : cs);
    }

    /** The Java charset for an MSH-18 value, or null when not supported. */
    static Charset charset(String msh18) {
        String v = msh18.toUpperCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("UNICODE UTF-8")) {
            return StandardCharsets.UTF_8;
        }
        if (v.equals("ASCII")) {
            return StandardCharsets.US_ASCII;
        }
        if (v.matches("8859/[1-9]|8859/15")) {
            return Charset.forName("ISO-8859-" + v.substring(5));
        }
        return null;
    }

    /** The first segment as Latin-1 (lossless for MSH's ASCII fields), at most 4 KiB. */
    private static String latin1Head(byte[] b) {
        int n = 0;
        while (n < b.length && n < 4096 && b[n] != MllpFrames.CR) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }
}
