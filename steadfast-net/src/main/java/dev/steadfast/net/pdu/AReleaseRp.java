package dev.steadfast.net.pdu;

/** A-RELEASE-RP (PS3.8 9.3.7): four reserved bytes. */
public record AReleaseRp() implements Pdu {
    @Override
    public int type() {
        return A_RELEASE_RP;
    }

    @Override
    public void writeBody(PduOutput out) {
        out.zeros(4);
    }

    static AReleaseRp read(PduInput in) throws PduFormatException {
        in.skip(4);
        return new AReleaseRp();
    }
}
