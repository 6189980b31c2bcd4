package dev.steadfast.net.pdu;

/** Asynchronous operations window sub-item (PS3.7 D.3.3.3); 0 means unlimited. */
public record AsyncOperationsWindow(int maxOperationsInvoked, int maxOperationsPerformed) {
    static final int ITEM_TYPE = 0x53;

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        out.u16(maxOperationsInvoked);
        out.u16(maxOperationsPerformed);
        out.endItem16(m);
    }

    static AsyncOperationsWindow read(PduInput in) throws PduFormatException {
        return new AsyncOperationsWindow(in.u16(), in.u16());
    }
}
