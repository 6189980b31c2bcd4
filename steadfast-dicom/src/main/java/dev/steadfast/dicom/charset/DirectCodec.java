package dev.steadfast.dicom.charset;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One JDK charset for the whole value: a single term without code extensions, where
 * escape sequences have no meaning and the delimiters need no special care.
 */
record DirectCodec(Charset decodeWith, Charset encodeWith) implements Codec {

    /** The default repertoire; stray bytes above 0x7F read as Latin-1 rather than failing. */
    static final DirectCodec ASCII = new DirectCodec(StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII);

    DirectCodec(Charset charset) {
        this(charset, charset);
    }

    @Override
    public String decode(byte[] bytes, int offset, int length, Mode mode) {
        return new String(bytes, offset, length, decodeWith);
    }

    @Override
    public byte[] encode(String text, Mode mode) {
        return text.getBytes(encodeWith);
    }
}
