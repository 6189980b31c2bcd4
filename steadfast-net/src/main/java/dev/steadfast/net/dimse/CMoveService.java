package dev.steadfast.net.dimse;

import dev.steadfast.net.assoc.TlsConfig;

/** Retrieve SCP with C-MOVE (PS3.4 annex C): sub-operations go to another AE over a new association. */
public interface CMoveService extends RetrieveService {
    /** Where {@code aeTitle} listens; throw {@link DimseException} with {@link Status#MOVE_DESTINATION_UNKNOWN} if unknown. */
    MoveDestination destination(String aeTitle) throws DimseException;

    /**
     * @param tls          how to secure the sub-operation association to this destination, or null for plain TCP
     * @param associations how many associations at once the sub-operations may use (at least 1)
     */
    record MoveDestination(String aeTitle, String host, int port, TlsConfig tls, int associations) {
        public MoveDestination(String aeTitle, String host, int port) {
            this(aeTitle, host, port, null);
        }

        public MoveDestination(String aeTitle, String host, int port, TlsConfig tls) {
            this(aeTitle, host, port, tls, 1);
        }

        public MoveDestination {
            associations = Math.max(1, associations);
        }

        @Override
        public String toString() {
            return aeTitle + "@" + host + ":" + port + (tls == null ? "" : " (TLS)");
        }
    }
}
