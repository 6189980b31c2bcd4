package dev.steadfast.net.pdu;

/** Presentation context item of an A-ASSOCIATE-AC (PS3.8 9.3.3.2): the result and the one accepted transfer syntax. */
public record PresentationContextAc(int id, int result, String transferSyntax) {
    static final int ITEM_TYPE = 0x21;

    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public boolean accepted() {
        return result == ACCEPTANCE;
    }

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.u8(id);
        out.u8(0);
        out.u8(result);
        out.u8(0);
        // PS3.8: the transfer syntax sub-item is present but not significant when the context is rejected.
        int t = out.beginItem16(PresentationContextRq.TRANSFER_SYNTAX);
        out.ascii(transferSyntax == null ? "" : transferSyntax);
        out.endItem16(t);
        out.endItem16(m);
    }

    static PresentationContextAc read(PduInput in) throws PduFormatException {
        int id = in.u8();
        in.skip(1);
        int result = in.u8();
        in.skip(1);
        String ts = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            int len = in.u16();
            if (type == PresentationContextRq.TRANSFER_SYNTAX) {
                ts = in.ascii(len);
            } else {
                in.skip(len);
            }
        }
        return new PresentationContextAc(id, result, ts);
    }

    public static String describeResult(int result) {
        return switch (result) {
            case ACCEPTANCE -> "acceptance";
            case USER_REJECTION -> "user-rejection";
            case NO_REASON -> "no-reason (provider rejection)";
            case ABSTRACT_SYNTAX_NOT_SUPPORTED -> "abstract-syntax-not-supported (provider rejection)";
            case TRANSFER_SYNTAXES_NOT_SUPPORTED -> "transfer-syntaxes-not-supported (provider rejection)";
            default -> "result " + result;
        };
    }
}
