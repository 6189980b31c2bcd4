package dev.steadfast.net.dimse;

import dev.steadfast.net.assoc.TlsConfig;

/** Retrieve SCP with C-MOVE (PS3.4 annex C): sub-operations go to another AE over a new association. */
public interface CMoveService extends RetrieveService {
    /** Where {@code aeTitle} listens; throw {@link DimseException} with {@link Status#MOVE_DESTINATION_UNKNOWN} if unknown. */
    MoveDestination destination(String aeTitle) throws DimseException;

    /** @param tls how to secure the sub-operation association to this destination, or null for plain TCP */
    record MoveDestination(String aeTitle, String host, int port, TlsConfig tls) {
        public MoveDestination(String aeTitle, String host, int port) {
            this(aeTitle, host, port, null);
        }

        @Override
        public String toString() {
            return aeTitle + "@" + host + ":" + port + (tls == null ? "" : " (TLS)");
        }
    }
}
