package dev.steadfast.net.pdu;

import java.util.ArrayList;
import java.util.List;

/** A-ASSOCIATE-RQ (PS3.8 9.3.2). */
public record AAssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContextName,
                           List<PresentationContextRq> presentationContexts, UserInformation userInformation) implements Pdu {
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AAssociateRq {
        presentationContexts = List.copyOf(presentationContexts);
    }

    public PresentationContextRq presentationContext(int id) {
        for (PresentationContextRq pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }

    @Override
    public int type() {
        return A_ASSOCIATE_RQ;
    }

    @Override
    public void writeBody(PduOutput out) {
        AssociateItems.writeHeader(out, protocolVersion, calledAeTitle, callingAeTitle, applicationContextName);
        for (PresentationContextRq pc : presentationContexts) {
            pc.write(out);
        }
        userInformation.write(out);
    }

    static AAssociateRq read(PduInput in) throws PduFormatException {
        int version = in.u16();
        in.skip(2);
        String called = in.aeTitle();
        String calling = in.aeTitle();
        in.skip(32);
        String appContext = null;
        List<PresentationContextRq> pcs = new ArrayList<>();
        UserInformation ui = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            PduInput item = in.slice(in.u16());
            switch (type) {
                case AssociateItems.APPLICATION_CONTEXT -> appContext = item.ascii(item.remaining());
                case PresentationContextRq.ITEM_TYPE -> pcs.add(PresentationContextRq.read(item));
                case UserInformation.ITEM_TYPE -> ui = UserInformation.read(item);
                default -> throw new PduFormatException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        "unrecognized item 0x" + Integer.toHexString(type) + " in A-ASSOCIATE-RQ");
            }
        }
        if (appContext == null || ui == null) {
            throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE-RQ without application context or user information");
        }
        return new AAssociateRq(version, called, calling, appContext, pcs, ui);
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RQ[" + callingAeTitle + " -> " + calledAeTitle + ", " + presentationContexts.size()
                + " presentation contexts, max PDU " + userInformation.maxPduLength() + "]";
    }
}
