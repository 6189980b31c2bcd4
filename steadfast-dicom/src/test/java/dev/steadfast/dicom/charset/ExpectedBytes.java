package dev.steadfast.dicom.charset;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Spells out expected byte strings the way PS3.5 Annexes H to J print them. */
final class ExpectedBytes {

    static final Charset JIS_X0208 = Charset.forName("x-JIS0208");
    static final Charset JIS_X0201 = Charset.forName("JIS_X0201");
    static final Charset KS_X1001 = Charset.forName("EUC-KR");
    static final Charset GB2312 = Charset.forName("GB2312");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static ExpectedBytes ascii(String text) {
        return new ExpectedBytes().then(text, StandardCharsets.US_ASCII);
    }

    static ExpectedBytes esc(String sequence) {
        return new ExpectedBytes().andEsc(sequence);
    }

    ExpectedBytes andAscii(String text) {
        return then(text, StandardCharsets.US_ASCII);
    }

    /** ESC followed by the rest, e.g. {@code "$B"} for ESC 02/04 04/02. */
    ExpectedBytes andEsc(String sequence) {
        out.write(0x1B);
        return then(sequence, StandardCharsets.US_ASCII);
    }

    ExpectedBytes then(String text, Charset charset) {
        out.writeBytes(text.getBytes(charset));
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
