package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.Pdu;
import dev.steadfast.net.pdu.PresentationDataValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Fragments one command or data set into P-DATA-TF PDUs of at most the peer's maximum length, one
 * presentation-data-value per PDU (PS3.8 annex E). {@link #close()} sends the last fragment and flushes.
 *
 * <p>The buffer holds several whole PDUs back to back ({@link #bufferFor}), each assembled in place,
 * and goes to the transport in one write once full: with a peer's 16 KiB PDUs that is one socket
 * write per 7 PDUs, and the transport's buffered stream passes a write that large straight to the
 * socket instead of copying it once more (issue 19).
 */
public final class PDataOutputStream extends OutputStream {
    private static final int HEADER = 12; // PDU header 6 + PDV item length 4 + context ID 1 + control header 1
    /** What one batch of PDUs may span: the JDK writes a heap array to a socket in chunks of at most 128 KiB. */
    private static final int BATCH = 128 * 1024;

    private final Association association;
    private final int presentationContextId;
    private final int controlHeader;
    private final byte[] buf;
    /** One whole PDU: the PDU header plus at most the peer's maximum length, even. */
    private final int slot;
    private int start; // where the PDU being filled begins in buf
    private int pos = HEADER;
    private boolean closed;

    public PDataOutputStream(Association association, int presentationContextId, boolean command) {
        this(association, presentationContextId, command, bufferFor(association));
    }

    /**
     * With a caller-owned buffer from {@link #bufferFor} (or of {@code sendPduLength() + 6} bytes:
     * one PDU at a time), reusable once this stream is finished.
     */
    public PDataOutputStream(Association association, int presentationContextId, boolean command, byte[] buffer) {
        if (buffer.length < 64) {
            throw new IllegalArgumentException("PDU buffer too small: " + buffer.length);
        }
        this.association = association;
        this.presentationContextId = presentationContextId;
        this.controlHeader = command ? PresentationDataValue.COMMAND : 0;
        this.buf = buffer;
        // Fragments of even length (PS3.5 7.1: values are even; dcmtk refuses odd fragments).
        this.slot = Math.min(buffer.length, slotLength(association));
    }

    /** A buffer of as many whole PDUs of the peer's size as fit in one socket write (at least one). */
    public static byte[] bufferFor(Association association) {
        int slot = slotLength(association);
        return new byte[Math.max(1, BATCH / slot) * slot];
    }

    private static int slotLength(Association association) {
        return (association.sendPduLength() & ~1) + 6;
    }

    @Override
    public void write(int b) throws IOException {
        if (pos == start + slot) {
            next();
        }
        buf[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (pos == start + slot) {
                next();
            }
            int n = Math.min(len, start + slot - pos);
            System.arraycopy(b, off, buf, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Writes the remaining bytes of {@code src} (advancing its position), copied once from it into the
     * PDUs: for a data set held in a direct buffer, no heap array in between.
     */
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (pos == start + slot) {
                next();
            }
            int n = Math.min(src.remaining(), start + slot - pos);
            src.get(buf, pos, n);
            pos += n;
        }
    }

    /** The PDU being filled is full: its header is written, and the next PDU starts after it (or the batch goes out). */
    private void next() throws IOException {
        header(false);
        start = pos;
        if (start + slot > buf.length) {
            association.writePData(buf, start);
            start = 0;
        }
        pos = start + HEADER;
    }

    private void header(boolean last) {
        int pdvLength = pos - start - 10; // context ID + control header + data
        int pduLength = pos - start - 6;
        buf[start] = (byte) Pdu.P_DATA_TF;
        buf[start + 1] = 0;
        putInt(start + 2, pduLength);
        putInt(start + 6, pdvLength);
        buf[start + 10] = (byte) presentationContextId;
        buf[start + 11] = (byte) (controlHeader | (last ? PresentationDataValue.LAST : 0));
    }

    /** The last fragment: its header, then every PDU still in the buffer in one write. */
    private void sendLast() throws IOException {
        header(true);
        association.writePData(buf, pos);
        start = 0;
        pos = HEADER;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** Sends what is buffered, ending with the last fragment; the association is flushed. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendLast();
            association.flush();
        }
    }

    /** Like {@link #close()} but without flushing: a command followed at once by its data set goes out in one write. */
    public void finish() throws IOException {
        if (!closed) {
            closed = true;
            sendLast();
        }
    }
}
