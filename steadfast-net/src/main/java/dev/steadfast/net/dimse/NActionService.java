package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;

/** N-ACTION SCP (PS3.7 10.1.4), e.g. the storage commitment request. */
@FunctionalInterface
public interface NActionService {
    /** @return the action reply to send in the response, or null for none */
    Dataset action(DimseRequest rq, int actionTypeId, Dataset actionInformation) throws DimseException, IOException;
}
