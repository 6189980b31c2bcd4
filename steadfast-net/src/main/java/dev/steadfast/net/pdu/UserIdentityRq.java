package dev.steadfast.net.pdu;

import java.nio.charset.StandardCharsets;

/** User identity negotiation sub-item, request side (PS3.7 D.3.3.7.1). */
public record UserIdentityRq(int identityType, boolean positiveResponseRequested, byte[] primaryField, byte[] secondaryField) {
    static final int ITEM_TYPE = 0x58;

    public static final int USERNAME = 1;
    public static final int USERNAME_AND_PASSCODE = 2;
    public static final int KERBEROS = 3;
    public static final int SAML = 4;
    public static final int JWT = 5;

    public static UserIdentityRq username(String user, boolean positiveResponseRequested) {
        return new UserIdentityRq(USERNAME, positiveResponseRequested, utf8(user), new byte[0]);
    }

    public static UserIdentityRq usernamePasscode(String user, String passcode, boolean positiveResponseRequested) {
        return new UserIdentityRq(USERNAME_AND_PASSCODE, positiveResponseRequested, utf8(user), utf8(passcode));
    }

    public static UserIdentityRq jwt(String token, boolean positiveResponseRequested) {
        return new UserIdentityRq(JWT, positiveResponseRequested, utf8(token), new byte[0]);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public String primaryFieldAsString() {
        return new String(primaryField, StandardCharsets.UTF_8);
    }

    public String secondaryFieldAsString() {
        return new String(secondaryField, StandardCharsets.UTF_8);
    }

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.u8(identityType);
        out.u8(positiveResponseRequested ? 1 : 0);
        out.lengthPrefixed(primaryField);
        out.lengthPrefixed(identityType == USERNAME_AND_PASSCODE ? secondaryField : new byte[0]);
        out.endItem16(m);
    }

    static UserIdentityRq read(PduInput in) throws PduFormatException {
        int type = in.u8();
        boolean positive = in.u8() == 1;
        byte[] primary = in.bytes(in.u16());
        byte[] secondary = in.remaining() >= 2 ? in.bytes(in.u16()) : new byte[0];
        return new UserIdentityRq(type, positive, primary, secondary);
    }

    @Override
    public String toString() {
        // Never print the passcode or token.
        return "UserIdentityRq[type=" + identityType + ", positiveResponseRequested=" + positiveResponseRequested + "]";
    }
}
