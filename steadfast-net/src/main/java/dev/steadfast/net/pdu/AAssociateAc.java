package dev.steadfast.net.pdu;

import java.util.ArrayList;
import java.util.List;

/** A-ASSOCIATE-AC (PS3.8 9.3.3). The AE title fields echo the request (they are not tested by the requestor). */
public record AAssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContextName,
                           List<PresentationContextAc> presentationContexts, UserInformation userInformation) implements Pdu {

    public AAssociateAc {
        presentationContexts = List.copyOf(presentationContexts);
    }

    public PresentationContextAc presentationContext(int id) {
        for (PresentationContextAc pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }

    @Override
    public int type() {
        return A_ASSOCIATE_AC;
    }

    @Override
    public void writeBody(PduOutput out) {
        AssociateItems.writeHeader(out, protocolVersion, calledAeTitle, callingAeTitle, applicationContextName);
        for (PresentationContextAc pc : presentationContexts) {
            pc.write(out);
        }
        userInformation.write(out);
    }

    static AAssociateAc read(PduInput in) throws PduFormatException {
        int version = in.u16();
        in.skip(2);
        String called = in.aeTitle();
        String calling = in.aeTitle();
        in.skip(32);
        String appContext = null;
        List<PresentationContextAc> pcs = new ArrayList<>();
        UserInformation ui = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            PduInput item = in.slice(in.u16());
            switch (type) {
                case AssociateItems.APPLICATION_CONTEXT -> appContext = item.ascii(item.remaining());
                case PresentationContextAc.ITEM_TYPE -> pcs.add(PresentationContextAc.read(item));
                case UserInformation.ITEM_TYPE -> ui = UserInformation.read(item);
                default -> throw new PduFormatException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        "unrecognized item 0x" + Integer.toHexString(type) + " in A-ASSOCIATE-AC");
            }
        }
        if (ui == null) {
            throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE-AC without user information");
        }
        return new AAssociateAc(version, called, calling, appContext, pcs, ui);
    }
}
