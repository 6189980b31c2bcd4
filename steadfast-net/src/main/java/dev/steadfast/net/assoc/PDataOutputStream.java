package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PresentationDataValue;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Fragments one command or data set into P-DATA-TF PDUs of at most the peer's maximum length, one
 * presentation-data-value per PDU (PS3.8 annex E). {@link #close()} sends the last fragment and flushes.
 */
public final class PDataOutputStream extends OutputStream {
    private static final int HEADER = 12; // PDU header 6 + PDV item length 4 + context ID 1 + control header 1

    private final Association association;
    private final int presentationContextId;
    private final int controlHeader;
    private final byte[] pdu;
    private int pos = HEADER;
    private boolean closed;

    public PDataOutputStream(Association association, int presentationContextId, boolean command) {
        this(association, presentationContextId, command, new byte[(association.sendPduLength() & ~1) + 6]);
    }

    /** With a caller-owned buffer of {@code sendPduLength() + 6} bytes, reusable once this stream is finished. */
    public PDataOutputStream(Association association, int presentationContextId, boolean command, byte[] buffer) {
        if (buffer.length < 64) {
            throw new IllegalArgumentException("PDU buffer too small: " + buffer.length);
        }
        this.association = association;
        this.presentationContextId = presentationContextId;
        this.controlHeader = command ? PresentationDataValue.COMMAND : 0;
        this.pdu = buffer;
    }

    @Override
    public void write(int b) throws IOException {
        if (pos == pdu.length) {
            send(false);
        }
        pdu[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (pos == pdu.length) {
                send(false);
            }
            int n = Math.min(len, pdu.length - pos);
            System.arraycopy(b, off, pdu, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    private void send(boolean last) throws IOException {
        int pdvLength = pos - 10; // context ID + control header + data
        int pduLength = pos - 6;
        pdu[0] = (byte) Pdu.P_DATA_TF;
        pdu[1] = 0;
        putInt(2, pduLength);
        putInt(6, pdvLength);
        pdu[10] = (byte) presentationContextId;
        pdu[11] = (byte) (controlHeader | (last ? PresentationDataValue.LAST : 0));
        association.writePData(pdu, pos);
        pos = HEADER;
    }

    private void putInt(int at, int v) {
        pdu[at] = (byte) (v >>> 24);
        pdu[at + 1] = (byte) (v >>> 16);
        pdu[at + 2] = (byte) (v >>> 8);
        pdu[at + 3] = (byte) v;
    }

    /** Sends what is buffered as the last fragment; the association is flushed. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            send(true);
            association.flush();
        }
    }

    /** Like {@link #close()} but without flushing: a command followed at once by its data set goes out in one write. */
    public void finish() throws IOException {
        if (!closed) {
            closed = true;
            send(true);
        }
    }
}
