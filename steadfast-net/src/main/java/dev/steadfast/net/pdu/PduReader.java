package dev.steadfast.net.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads whole PDUs from a transport stream, refusing lengths over the limits before allocating.
 * The buffer of a P-DATA-TF is reused: its values are valid until the next {@link #read()}.
 */
public final class PduReader {
    private final InputStream in;
    private final int maxPDataLength;
    private final int maxAssociateLength;
    private final byte[] header = new byte[6];
    private byte[] pdataBuffer = new byte[0];

    /**
     * @param maxPDataLength     largest P-DATA-TF PDU length accepted (the maximum length we announced)
     * @param maxAssociateLength largest A-ASSOCIATE-RQ/AC PDU accepted
     */
    public PduReader(InputStream in, int maxPDataLength, int maxAssociateLength) {
        this.in = in;
        this.maxPDataLength = maxPDataLength;
        this.maxAssociateLength = maxAssociateLength;
    }

    /** The next PDU, or null when the peer closed the connection cleanly between PDUs. */
    public Pdu read() throws IOException {
        int n = in.readNBytes(header, 0, 6);
        if (n == 0) {
            return null;
        }
        if (n < 6) {
            throw new EOFException("connection closed inside a PDU header");
        }
        int type = header[0] & 0xff;
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
        long limit = switch (type) {
            case Pdu.P_DATA_TF -> maxPDataLength;
            case Pdu.A_ASSOCIATE_RQ, Pdu.A_ASSOCIATE_AC -> maxAssociateLength;
            case Pdu.A_ASSOCIATE_RJ, Pdu.A_RELEASE_RQ, Pdu.A_RELEASE_RP, Pdu.A_ABORT -> 4;
            default -> throw new PduFormatException(AAbort.UNRECOGNIZED_PDU, "unrecognized PDU type 0x" + Integer.toHexString(type));
        };
        if (length > limit || length < (type == Pdu.P_DATA_TF ? 6 : 4)) {
            throw new PduFormatException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "PDU type 0x" + Integer.toHexString(type) + " with length " + length + " (allowed up to " + limit + ")");
        }
        int len = (int) length;
        byte[] body;
        if (type == Pdu.P_DATA_TF) {
            if (pdataBuffer.length < len) {
                pdataBuffer = new byte[len];
            }
            body = pdataBuffer;
        } else {
            body = new byte[len];
        }
        if (in.readNBytes(body, 0, len) < len) {
            throw new EOFException("connection closed inside a PDU of type 0x" + Integer.toHexString(type) + " (length " + len + ")");
        }
        PduInput body0 = new PduInput(body, 0, len);
        return switch (type) {
            case Pdu.A_ASSOCIATE_RQ -> AAssociateRq.read(body0);
            case Pdu.A_ASSOCIATE_AC -> AAssociateAc.read(body0);
            case Pdu.A_ASSOCIATE_RJ -> AAssociateRj.read(body0);
            case Pdu.P_DATA_TF -> PDataTf.read(body0);
            case Pdu.A_RELEASE_RQ -> AReleaseRq.read(body0);
            case Pdu.A_RELEASE_RP -> AReleaseRp.read(body0);
            default -> AAbort.read(body0);
        };
    }
}
