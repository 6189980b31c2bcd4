package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import java.io.IOException;
import java.util.List;

/** What C-MOVE and C-GET share: the instances an identifier selects. The framework performs the C-STORE sub-operations. */
public interface RetrieveService {
    List<? extends StoreSource> retrieve(DimseRequest rq, Dataset identifier) throws DimseException, IOException;
}
