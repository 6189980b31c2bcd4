package dev.steadfast.net.pdu;

/** User identity negotiation sub-item, accept side (PS3.7 D.3.3.7.2): the server response (e.g. a Kerberos or SAML reply). */
public record UserIdentityAc(byte[] serverResponse) {
    static final int ITEM_TYPE = 0x59;

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.lengthPrefixed(serverResponse);
        out.endItem16(m);
    }

    static UserIdentityAc read(PduInput in) throws PduFormatException {
        return new UserIdentityAc(in.bytes(in.u16()));
    }
}
