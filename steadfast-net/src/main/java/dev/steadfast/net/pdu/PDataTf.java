package dev.steadfast.net.pdu;

import java.util.ArrayList;
import java.util.List;

/** P-DATA-TF (PS3.8 9.3.5): one or more presentation-data-value items. */
public record PDataTf(List<PresentationDataValue> values) implements Pdu {
    public PDataTf {
        values = List.copyOf(values);
    }

    @Override
    public int type() {
        return P_DATA_TF;
    }

    @Override
    public void writeBody(PduOutput out) {
        for (PresentationDataValue v : values) {
            out.u32(v.length() + 2);
            out.u8(v.presentationContextId());
            out.u8(v.messageControlHeader());
            byte[] b = new byte[v.length()];
            System.arraycopy(v.buffer(), v.offset(), b, 0, v.length());
            out.bytes(b);
        }
    }

    static PDataTf read(PduInput in) throws PduFormatException {
        List<PresentationDataValue> values = new ArrayList<>(2);
        while (in.remaining() > 0) {
            int len = in.u32();
            if (len < 2 || len > in.remaining()) {
                throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE, "PDV item length " + Integer.toUnsignedString(len)
                        + " does not fit the P-DATA-TF (" + in.remaining() + " bytes left)");
            }
            int pcid = in.u8();
            int mch = in.u8();
            if ((mch & ~0x03) != 0) {
                throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE, "reserved bits set in message control header " + mch);
            }
            values.add(new PresentationDataValue(pcid, mch, in.buffer(), in.position(), len - 2));
            in.skip(len - 2);
        }
        if (values.isEmpty()) {
            throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE, "P-DATA-TF without presentation-data-value items");
        }
        return new PDataTf(values);
    }
}
