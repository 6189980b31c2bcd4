package dev.steadfast.server.workflow;

import java.util.List;

/**
 * What other code may listen on (issue 18): a procedure started, completed or was discontinued
 * (the MPPS of a modality), and its instances are all available. Called from the workflow's
 * durable outbox, after the change is committed, in the order the changes happened, on one
 * thread: a listener that throws gets the same event again later (at least once, never out of
 * order), so it should be quick and idempotent (e.g. queue an outgoing HL7 message).
 * Every method does nothing by default.
 */
public interface ProcedureEvents {
    ProcedureEvents NONE = new ProcedureEvents() {
    };

    /** An MPPS N-CREATE (IN PROGRESS) was accepted. */
    default void started(Procedure p) throws Exception {
    }

    /** The MPPS was set to COMPLETED. */
    default void completed(Procedure p) throws Exception {
    }

    /** The MPPS was set to DISCONTINUED. */
    default void discontinued(Procedure p) throws Exception {
    }

    /**
     * Every instance the completed MPPS names is stored (once per study; {@code p.studyInstanceUid()}
     * is that study). The availability notices to subscribers go out at the same time.
     */
    default void instancesAvailable(Procedure p, List<String> sopInstanceUids) throws Exception {
    }
}
