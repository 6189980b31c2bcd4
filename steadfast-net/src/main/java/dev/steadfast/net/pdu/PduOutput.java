package dev.steadfast.net.pdu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable big-endian byte sink for PDU bodies, with back-patched item lengths. */
final class PduOutput {
    private byte[] buf = new byte[256];
    private int len;

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    void u32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    void zeros(int n) {
        ensure(n);
        len += n; // new array space is already zero; buffers are never reused
    }

    void ascii(String s) {
        bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    void aeTitle(String ae) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) ' ');
        byte[] s = ae.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, 0, Math.min(16, s.length));
        bytes(b);
    }

    /** Starts an item with a 2-byte length to be patched by {@link #endItem16}; returns the mark. */
    int beginItem16(int type) {
        u8(type);
        u8(0);
        u16(0);
        return len;
    }

    void endItem16(int mark) {
        int n = len - mark;
        if (n > 0xffff) {
            throw new IllegalArgumentException("item longer than 65535 bytes");
        }
        buf[mark - 2] = (byte) (n >>> 8);
        buf[mark - 1] = (byte) n;
    }

    /** A 2-byte length followed by ASCII text (UIDs and names inside user information sub-items). */
    void lengthPrefixed(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        u16(b.length);
        bytes(b);
    }

    void lengthPrefixed(byte[] b) {
        u16(b.length);
        bytes(b);
    }

    int length() {
        return len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
