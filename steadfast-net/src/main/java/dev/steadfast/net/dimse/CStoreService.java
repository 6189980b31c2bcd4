package dev.steadfast.net.dimse;

import java.io.IOException;
import java.io.InputStream;

/** Storage SCP (PS3.4 annex B). */
@FunctionalInterface
public interface CStoreService {
    /**
     * Consumes the data set, encoded in {@code rq.transferSyntaxUid()}, as it arrives from the network.
     * The stream ends (-1) only after the last fragment; a transfer that breaks (abort, closed or
     * stalled connection) is an {@link IOException} from {@code data}, so a partial instance is never
     * mistaken for a whole one. Return success or a warning; throw {@link DimseException} to refuse.
     * Any other exception is answered as a failure (A700 for I/O, 0110 otherwise).
     */
    Status store(DimseRequest rq, InputStream data) throws DimseException, IOException;
}
