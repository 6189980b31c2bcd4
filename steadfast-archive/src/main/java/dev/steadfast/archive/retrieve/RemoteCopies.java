package dev.steadfast.archive.retrieve;

/**
 * Where a read that finds no local copy may fetch one (issue 17, "fallback retrieve"): a peer site.
 * The implementation stores what it fetched through the normal ingest path, verified, so the next
 * look-up finds it locally. The archive knows nothing of how (the server wires WADO-RS).
 */
public interface RemoteCopies {
    /** No peer: a read that finds nothing finds nothing. */
    RemoteCopies NONE = request -> 0;

    /**
     * Fetches the instances {@code request} names that are not here, and stores them locally.
     *
     * @return how many were stored (0: the peer has none either, or the study was deleted here)
     * @throws UnavailableException when the peer could not be asked (link down, timeout, refusal)
     */
    int fetch(RetrieveRequest request);

    /**
     * The instance is indexed here but its object is gone from storage: puts the peer's copy back
     * under its key if it has exactly the SHA-256 recorded here.
     *
     * @return whether it was restored
     */
    default boolean restore(dev.steadfast.archive.index.StoredInstance lost) {
        return false;
    }

    /** The peer site could not be reached or answered wrongly; the message says which and why. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
