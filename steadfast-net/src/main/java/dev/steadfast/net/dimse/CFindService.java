package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;

/** Query SCP (PS3.4 annex C, C-FIND). */
@FunctionalInterface
public interface CFindService {
    /**
     * Sends each match through {@code responder}; stop when it returns false (the requestor sent
     * C-CANCEL). Returning normally answers success, or cancel when cancelled.
     */
    void find(DimseRequest rq, Dataset identifier, FindResponder responder) throws DimseException, IOException;

    /** Where matches go: each becomes a pending C-FIND-RSP. */
    interface FindResponder {
        /** Sends a pending response with {@code match} as identifier; false once the requestor has cancelled. */
        boolean pending(Dataset match) throws IOException;

        boolean cancelled() throws IOException;
    }
}
