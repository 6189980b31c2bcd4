package dev.steadfast.archive.forward;

import java.io.IOException;
import java.util.List;

/**
 * Delivers queue entries to one destination (DIMSE C-STORE, STOW-RS, a Steadfast archive's admin
 * API). Implementations live where the protocols do (the server module).
 */
public interface ForwardSender {
    /** The destination's name, as the rules and the queues know it. */
    String name();

    /** Whether entries must arrive in the order they were queued (a refused head then holds the rest back). */
    boolean ordered();

    /**
     * Opens one link (an association, an HTTP client) for a batch of entries.
     *
     * @throws IOException the destination cannot be reached now (retried with backoff, never dead-lettered)
     */
    Link open(List<ForwardEntry> batch) throws IOException;

    interface Link extends AutoCloseable {
        /**
         * @throws Refused     the destination answered that it will not take this entry
         * @throws IOException the link broke, or the destination is unreachable
         */
        Result send(ForwardEntry entry) throws IOException, Refused;

        @Override
        void close();
    }

    enum Result {
        SENT,
        /** The instance is no longer stored here (deleted since): nothing to send. */
        GONE,
        /** This link cannot carry it (e.g. no presentation context left): later, on another link. */
        LATER
    }

    /** The destination answered with a failure: counts toward the dead letter. */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean permanent;

        public Refused(String reason) {
            this(reason, false);
        }

        /** @param permanent a refusal that sending again cannot change (an HL7 AE/AR): a dead letter at once */
        public Refused(String reason, boolean permanent) {
            super(reason);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
