package dev.steadfast.net.pdu;

import java.io.IOException;
import java.io.OutputStream;

/** Encodes PDUs; one {@code write} call per PDU so a PDU is never interleaved with another. */
public final class PduWriter {
    private PduWriter() {
    }

    public static byte[] encode(Pdu pdu) {
        PduOutput body = new PduOutput();
        pdu.writeBody(body);
        int len = body.length();
        byte[] b = body.toByteArray();
        byte[] out = new byte[6 + len];
        out[0] = (byte) pdu.type();
        out[2] = (byte) (len >>> 24);
        out[3] = (byte) (len >>> 16);
        out[4] = (byte) (len >>> 8);
        out[5] = (byte) len;
        System.arraycopy(b, 0, out, 6, len);
        return out;
    }

    public static void write(OutputStream out, Pdu pdu) throws IOException {
        out.write(encode(pdu));
        out.flush();
    }
}
