package dev.steadfast.net.pdu;

import java.util.ArrayList;
import java.util.List;

/** Presentation context item of an A-ASSOCIATE-RQ (PS3.8 9.3.2.2): one abstract syntax, transfer syntaxes in order of preference. */
public record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {
    static final int ITEM_TYPE = 0x20;
    static final int ABSTRACT_SYNTAX = 0x30;
    static final int TRANSFER_SYNTAX = 0x40;

    public PresentationContextRq {
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }

    public PresentationContextRq(int id, String abstractSyntax, String... transferSyntaxes) {
        this(id, abstractSyntax, List.of(transferSyntaxes));
    }

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.u8(id);
        out.zeros(3);
        int a = out.beginItem16(ABSTRACT_SYNTAX);
        out.ascii(abstractSyntax);
        out.endItem16(a);
        for (String ts : transferSyntaxes) {
            int t = out.beginItem16(TRANSFER_SYNTAX);
            out.ascii(ts);
            out.endItem16(t);
        }
        out.endItem16(m);
    }

    static PresentationContextRq read(PduInput in) throws PduFormatException {
        int id = in.u8();
        in.skip(3);
        String as = null;
        List<String> ts = new ArrayList<>();
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            int len = in.u16();
            switch (type) {
                case ABSTRACT_SYNTAX -> as = in.ascii(len);
                case TRANSFER_SYNTAX -> ts.add(in.ascii(len));
                default -> throw new PduFormatException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        "unexpected sub-item 0x" + Integer.toHexString(type) + " in presentation context " + id);
            }
        }
        // A context without abstract syntax or transfer syntaxes is rejected by negotiation, not aborted.
        return new PresentationContextRq(id, as == null ? "" : as, ts);
    }
}
