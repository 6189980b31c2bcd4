package dev.steadfast.net.pdu;

/** A-ASSOCIATE-RJ (PS3.8 9.3.4) with the result/source/reason values of table 9-21. */
public record AAssociateRj(int result, int source, int reason) implements Pdu {
    public static final int RESULT_PERMANENT = 1;
    public static final int RESULT_TRANSIENT = 2;

    public static final int SOURCE_SERVICE_USER = 1;
    public static final int SOURCE_ACSE = 2;
    public static final int SOURCE_PRESENTATION = 3;

    // source 1 (service-user)
    public static final int NO_REASON_GIVEN = 1;
    public static final int APPLICATION_CONTEXT_NAME_NOT_SUPPORTED = 2;
    public static final int CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    public static final int CALLED_AE_TITLE_NOT_RECOGNIZED = 7;
    // source 2 (ACSE)
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    // source 3 (presentation)
    public static final int TEMPORARY_CONGESTION = 1;
    public static final int LOCAL_LIMIT_EXCEEDED = 2;

    @Override
    public int type() {
        return A_ASSOCIATE_RJ;
    }

    @Override
    public void writeBody(PduOutput out) {
        out.u8(0);
        out.u8(result);
        out.u8(source);
        out.u8(reason);
    }

    static AAssociateRj read(PduInput in) throws PduFormatException {
        in.skip(1);
        return new AAssociateRj(in.u8(), in.u8(), in.u8());
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RJ[result=" + result + ", source=" + source + ", reason=" + reason + " (" + describe() + ")]";
    }

    public String describe() {
        return switch (source * 100 + reason) {
            case 101 -> "no reason given";
            case 102 -> "application context name not supported";
            case 103 -> "calling AE title not recognized";
            case 107 -> "called AE title not recognized";
            case 201 -> "no reason given (ACSE)";
            case 202 -> "protocol version not supported";
            case 301 -> "temporary congestion";
            case 302 -> "local limit exceeded";
            default -> "reason " + reason + " from source " + source;
        };
    }
}
