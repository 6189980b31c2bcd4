package dev.steadfast.net.pdu;

/** A-RELEASE-RQ (PS3.8 9.3.6): four reserved bytes. */
public record AReleaseRq() implements Pdu {
    @Override
    public int type() {
        return A_RELEASE_RQ;
    }

    @Override
    public void writeBody(PduOutput out) {
        out.zeros(4);
    }

    static AReleaseRq read(PduInput in) throws PduFormatException {
        in.skip(4);
        return new AReleaseRq();
    }
}
