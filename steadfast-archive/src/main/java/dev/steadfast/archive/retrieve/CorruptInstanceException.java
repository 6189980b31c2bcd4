package dev.steadfast.archive.retrieve;

import java.io.IOException;

/** Stored bytes no longer match the checksum recorded when the instance was acknowledged. */
public final class CorruptInstanceException extends IOException {
    private final String sopInstanceUid;

    public CorruptInstanceException(String sopInstanceUid, String expected, String actual) {
        super("stored copy of instance " + sopInstanceUid + " is corrupt: SHA-256 " + actual + ", expected " + expected);
        this.sopInstanceUid = sopInstanceUid;
    }

    /** @param detail what differs, e.g. the checksums */
    public CorruptInstanceException(String sopInstanceUid, String detail) {
        super("stored copy of instance " + sopInstanceUid + " is corrupt: " + detail);
        this.sopInstanceUid = sopInstanceUid;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }
}
