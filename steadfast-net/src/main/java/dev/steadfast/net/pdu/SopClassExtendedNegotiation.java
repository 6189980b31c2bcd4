package dev.steadfast.net.pdu;

/** SOP class extended negotiation sub-item (PS3.7 D.3.3.5); the application information is service-specific and passed through. */
public record SopClassExtendedNegotiation(String sopClassUid, byte[] serviceClassApplicationInformation) {
    static final int ITEM_TYPE = 0x56;

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.lengthPrefixed(sopClassUid);
        out.bytes(serviceClassApplicationInformation);
        out.endItem16(m);
    }

    static SopClassExtendedNegotiation read(PduInput in) throws PduFormatException {
        String uid = in.ascii(in.u16());
        return new SopClassExtendedNegotiation(uid, in.bytes(in.remaining()));
    }
}
