package dev.steadfast.net.pdu;

import java.nio.charset.StandardCharsets;

/** Bounds-checked big-endian cursor over one PDU body; every overrun is a {@link PduFormatException}. */
final class PduInput {
    private final byte[] buf;
    private int pos;
    private final int end;

    PduInput(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    int remaining() {
        return end - pos;
    }

    int position() {
        return pos;
    }

    byte[] buffer() {
        return buf;
    }

    private void need(int n) throws PduFormatException {
        if (n < 0 || n > end - pos) {
            throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "item or field runs past its enclosing length (need " + n + ", have " + (end - pos) + ")");
        }
    }

    int u8() throws PduFormatException {
        need(1);
        return buf[pos++] & 0xff;
    }

    int u16() throws PduFormatException {
        need(2);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int u32() throws PduFormatException {
        need(4);
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    void skip(int n) throws PduFormatException {
        need(n);
        pos += n;
    }

    byte[] bytes(int n) throws PduFormatException {
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** ASCII text with trailing NUL/space padding removed (UIDs may be NUL-padded, AE titles space-padded). */
    String ascii(int n) throws PduFormatException {
        need(n);
        int s = pos;
        int e = pos + n;
        pos = e;
        while (e > s && (buf[e - 1] == 0 || buf[e - 1] == ' ')) {
            e--;
        }
        return new String(buf, s, e - s, StandardCharsets.US_ASCII);
    }

    /** AE titles: leading and trailing spaces are not significant (PS3.5 6.2). */
    String aeTitle() throws PduFormatException {
        return ascii(16).strip();
    }

    /** A sub-cursor over the next {@code n} bytes; this cursor skips them. */
    PduInput slice(int n) throws PduFormatException {
        need(n);
        PduInput s = new PduInput(buf, pos, n);
        pos += n;
        return s;
    }
}
