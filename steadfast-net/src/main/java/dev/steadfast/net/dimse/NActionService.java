package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;

/** N-ACTION SCP (PS3.7 10.1.4), e.g. the storage commitment request. */
@FunctionalInterface
public interface NActionService {
    /**
     * @param back for requests back to the requestor on this association once the response has gone
     *             out (from any thread, e.g. the storage commitment N-EVENT-REPORT)
     * @return the action reply to send in the response, or null for none
     */
    Dataset action(DimseRequest rq, int actionTypeId, Dataset actionInformation, BackChannel back) throws DimseException, IOException;
}
