package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;

/** N-EVENT-REPORT receiver (PS3.7 10.1.1), e.g. the storage commitment result. */
@FunctionalInterface
public interface NEventReportService {
    /** @return the event reply to send in the response, or null for none */
    Dataset eventReport(DimseRequest rq, int eventTypeId, Dataset eventInformation) throws DimseException, IOException;
}
