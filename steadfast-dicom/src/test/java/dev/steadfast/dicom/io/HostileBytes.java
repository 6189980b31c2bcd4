package dev.steadfast.dicom.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds small hand-made DICOM byte streams (little endian) for hostile-input tests. */
final class HostileBytes {
    static final int ITEM = 0xFFFEE000;
    static final long UNDEFINED = 0xFFFFFFFFL;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    HostileBytes u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    HostileBytes u32(long v) {
        return u16((int) v & 0xFFFF).u16((int) (v >>> 16) & 0xFFFF);
    }

    HostileBytes tag(int tag) {
        return u16(tag >>> 16).u16(tag & 0xFFFF);
    }

    /** An explicit VR element header; OB, OW, SQ, UN, UT and the like take the 4-byte length form. */
    HostileBytes explicit(int tag, String vr, long length) {
        tag(tag).raw(vr.getBytes(StandardCharsets.US_ASCII));
        return "OB OD OF OL OV OW SQ SV UC UN UR UT UV".contains(vr) ? u16(0).u32(length) : u16((int) length);
    }

    HostileBytes implicit(int tag, long length) {
        return tag(tag).u32(length);
    }

    HostileBytes item(long length) {
        return tag(ITEM).u32(length);
    }

    HostileBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    HostileBytes zeros(int n) {
        return raw(new byte[n]);
    }

    /** Pads with zeros up to {@code size} bytes in total. */
    HostileBytes padTo(int size) {
        return zeros(Math.max(0, size - out.size()));
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Preamble, "DICM" and a meta group holding only the Transfer Syntax UID, then {@code dataset}. */
    static byte[] part10(String transferSyntaxUid, byte[] dataset) {
        String uid = transferSyntaxUid.length() % 2 == 0 ? transferSyntaxUid : transferSyntaxUid + "\0";
        return new HostileBytes().zeros(128).raw("DICM".getBytes(StandardCharsets.US_ASCII))
                .explicit(0x00020010, "UI", uid.length()).raw(uid.getBytes(StandardCharsets.US_ASCII))
                .raw(dataset).bytes();
    }
}
