package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;

/** N-SET SCP (PS3.7 10.1.3), e.g. the Modality Performed Procedure Step. */
@FunctionalInterface
public interface NSetService {
    /**
     * @param sopInstanceUid the Requested SOP Instance UID
     * @param modifications  the modification list (never null; empty when none was sent)
     * @return the attribute list to send back, or null for none
     */
    Dataset set(DimseRequest rq, String sopInstanceUid, Dataset modifications) throws DimseException, IOException;
}
