package dev.steadfast.server.workflow;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** UIDs this node creates for the workflow (PS3.5 B.2: 2.25 and a random UUID as a decimal number). */
final class Uids {
    private Uids() {
    }

    static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
