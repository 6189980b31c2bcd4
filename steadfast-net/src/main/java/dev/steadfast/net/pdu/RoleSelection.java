package dev.steadfast.net.pdu;

/** SCP/SCU role selection sub-item (PS3.7 D.3.3.4): which roles a side may take for a SOP class. */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {
    static final int ITEM_TYPE = 0x54;

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.lengthPrefixed(sopClassUid);
        out.u8(scuRole ? 1 : 0);
        out.u8(scpRole ? 1 : 0);
        out.endItem16(m);
    }

    static RoleSelection read(PduInput in) throws PduFormatException {
        String uid = in.ascii(in.u16());
        return new RoleSelection(uid, in.u8() == 1, in.u8() == 1);
    }
}
