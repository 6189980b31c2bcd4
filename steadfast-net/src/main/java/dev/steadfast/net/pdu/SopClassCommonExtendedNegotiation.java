package dev.steadfast.net.pdu;

import java.util.ArrayList;
import java.util.List;

/** SOP class common extended negotiation sub-item (PS3.7 D.3.3.6); passed through to the application. */
public record SopClassCommonExtendedNegotiation(String sopClassUid, String serviceClassUid, List<String> relatedGeneralSopClassUids) {
    static final int ITEM_TYPE = 0x57;

    public SopClassCommonExtendedNegotiation {
        relatedGeneralSopClassUids = List.copyOf(relatedGeneralSopClassUids);
    }

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        // The sub-item version is the reserved byte of the item header (PS3.7 table D.3-12), value 0.
        out.lengthPrefixed(sopClassUid);
        out.lengthPrefixed(serviceClassUid);
        PduOutput related = new PduOutput();
        for (String uid : relatedGeneralSopClassUids) {
            related.lengthPrefixed(uid);
        }
        out.lengthPrefixed(related.toByteArray());
        out.endItem16(m);
    }

    static SopClassCommonExtendedNegotiation read(PduInput in) throws PduFormatException {
        String sop = in.ascii(in.u16());
        String service = in.ascii(in.u16());
        List<String> related = new ArrayList<>();
        if (in.remaining() > 0) {
            PduInput r = in.slice(in.u16());
            while (r.remaining() > 0) {
                related.add(r.ascii(r.u16()));
            }
        }
        return new SopClassCommonExtendedNegotiation(sop, service, related);
    }
}
