package dev.steadfast.net.assoc;

import dev.steadfast.net.pdu.PresentationDataValue;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reassembles one command or data set from presentation-data-values as they arrive, pulling the
 * next P-DATA-TF from the association only when the current one is used up: nothing is buffered
 * beyond one PDU. A message that does not end with its last fragment (abort, closed connection,
 * release request, a fragment of another kind) is an {@link IOException}, never a short stream.
 */
public final class PDataInputStream extends InputStream {
    private final Association association;
    private final int presentationContextId;
    private final boolean command;
    private final long limit;
    private PresentationDataValue pdv;
    private int pos;
    private long total;
    private boolean last;

    /** Starts with {@code first}, a fragment already read by the caller. */
    public PDataInputStream(Association association, PresentationDataValue first, long limit) throws IOException {
        this.association = association;
        this.presentationContextId = first.presentationContextId();
        this.command = first.isCommand();
        this.limit = limit;
        accept(first);
    }

    private void accept(PresentationDataValue v) throws IOException {
        if (v.presentationContextId() != presentationContextId || v.isCommand() != command) {
            association.abort();
            throw new AssociationAbortedException("fragment of " + (v.isCommand() ? "a command" : "a data set") + " on context "
                    + v.presentationContextId() + " inside a " + (command ? "command" : "data set") + " on context "
                    + presentationContextId + ", aborted");
        }
        total += v.length();
        if (total > limit) {
            association.abort();
            throw new AssociationAbortedException((command ? "command" : "data set") + " longer than the limit of " + limit + " bytes, aborted");
        }
        pdv = v;
        pos = 0;
        last = v.isLast();
    }

    /** Advances to a fragment with unread bytes; false at the true end of the message. */
    private boolean fill() throws IOException {
        while (pos == pdv.length()) {
            if (last) {
                return false;
            }
            PresentationDataValue next = association.nextPdv();
            if (next == null) {
                throw new EOFException("peer requested release in the middle of a " + (command ? "command" : "data set"));
            }
            accept(next);
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return pdv.buffer()[pdv.offset() + pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, pdv.length() - pos);
        System.arraycopy(pdv.buffer(), pdv.offset() + pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return pdv.length() - pos;
    }

    public int presentationContextId() {
        return presentationContextId;
    }

    /** Whether the last fragment was consumed: the message is complete. */
    public boolean complete() {
        return last && pos == pdv.length();
    }

    /** Reads and discards the rest of the message (a handler that stopped early). */
    public void drain() throws IOException {
        while (fill()) {
            pos = pdv.length();
        }
    }

    /** Closing drains, so the next message starts on a fragment boundary. */
    @Override
    public void close() throws IOException {
        drain();
    }
}
