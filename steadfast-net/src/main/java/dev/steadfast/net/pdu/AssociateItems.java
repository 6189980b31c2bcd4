package dev.steadfast.net.pdu;

/** The fixed header shared by A-ASSOCIATE-RQ and -AC, and the application context item (PS3.8 9.3.2.1). */
final class AssociateItems {
    static final int APPLICATION_CONTEXT = 0x10;

    private AssociateItems() {
    }

    static void writeHeader(PduOutput out, int version, String called, String calling, String appContext) {
        out.u16(version);
        out.zeros(2);
        out.aeTitle(called);
        out.aeTitle(calling);
        out.zeros(32);
        int m = out.beginItem16(APPLICATION_CONTEXT);
        out.ascii(appContext);
        out.endItem16(m);
    }
}
