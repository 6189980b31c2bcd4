package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;

/** N-CREATE SCP (PS3.7 10.1.5), e.g. the Modality Performed Procedure Step. */
@FunctionalInterface
public interface NCreateService {
    /**
     * What was created: the SOP Instance UID (the requestor's, or one the SCP chose when the
     * request carried none, PS3.7 10.1.5.1.3) and the attribute list to send back, or null for none.
     */
    record Created(String sopInstanceUid, Dataset attributes) {
    }

    /**
     * @param sopInstanceUid the Affected SOP Instance UID of the request, or null: the SCP chooses one
     * @param attributes     the request's attribute list (never null; empty when none was sent)
     */
    Created create(DimseRequest rq, String sopInstanceUid, Dataset attributes) throws DimseException, IOException;
}
