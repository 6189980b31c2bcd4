package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Tag;
import dev.steadfast.net.assoc.AssociationAbortedException;
import java.io.IOException;

/**
 * Notices a C-CANCEL-RQ while the association's thread is busy answering: between responses it
 * reads whatever the requestor has already sent, without waiting for more.
 */
final class CancelWatch {
    private final DimseChannel ch;
    private final int messageId;
    private boolean cancelled;

    CancelWatch(DimseChannel ch, int messageId) {
        this.ch = ch;
        this.messageId = messageId;
    }

    boolean cancelled() throws IOException {
        while (!cancelled && ch.association().inputAvailable()) {
            DimseChannel.Message m = ch.readOne(); // not read(): after a handed-over response it would wait for more
            if (m != DimseChannel.HANDED_OVER) {
                accept(m);
            }
        }
        return cancelled;
    }

    /** Takes a message read while the operation runs; anything but a C-CANCEL for it is a protocol error. */
    void accept(DimseChannel.Message m) throws IOException {
        if (m == null) {
            ch.association().abort();
            throw new AssociationAbortedException("peer requested release while an operation was running");
        }
        if (m.type() == Dimse.C_CANCEL_RQ) {
            if (m.command().getInt(Tag.MessageIDBeingRespondedTo, -1) == messageId) {
                cancelled = true;
            }
            return;
        }
        ch.association().abort();
        throw new AssociationAbortedException("unexpected " + m.type() + " while message " + messageId + " was running; aborted");
    }

    void setCancelled() {
        cancelled = true;
    }
}
