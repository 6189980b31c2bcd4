package dev.steadfast.net.pdu;

/** A-ABORT (PS3.8 9.3.8): who aborted and, for the provider, why. */
public record AAbort(int source, int reason) implements Pdu {
    public static final int SOURCE_SERVICE_USER = 0;
    public static final int SOURCE_SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int UNRECOGNIZED_PDU = 1;
    public static final int UNEXPECTED_PDU = 2;
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    @Override
    public int type() {
        return A_ABORT;
    }

    @Override
    public void writeBody(PduOutput out) {
        out.zeros(2);
        out.u8(source);
        out.u8(reason);
    }

    static AAbort read(PduInput in) throws PduFormatException {
        in.skip(2);
        return new AAbort(in.u8(), in.u8());
    }

    @Override
    public String toString() {
        return "A-ABORT[source=" + (source == SOURCE_SERVICE_USER ? "service-user" : "service-provider")
                + ", reason=" + reason + "]";
    }
}
