package dev.steadfast.archive.workflow;

import java.util.List;

/**
 * Where the workflow delivers (issue 18): the outbox destinations MPPS operations, availability
 * notices and procedure events are queued for.
 *
 * @param mppsForwardTo   names of the AEs each MPPS N-CREATE and N-SET is relayed to
 * @param ianSubscribers  names of the AEs that get the availability notices
 * @param retrieveAeTitle the AE title the notices say the instances are retrieved from
 */
public record WorkflowTargets(List<String> mppsForwardTo, List<String> ianSubscribers, String retrieveAeTitle) {
    /** The destination of the procedure events (to the node's listeners, {@code ProcedureEvents}). */
    public static final String EVENTS = "events";
    private static final String MPPS_PREFIX = "mpps:";
    private static final String IAN_PREFIX = "ian:";

    public WorkflowTargets {
        mppsForwardTo = List.copyOf(mppsForwardTo);
        ianSubscribers = List.copyOf(ianSubscribers);
    }

    /** The outbox destination relaying MPPS to the AE named {@code name}. */
    public static String mpps(String name) {
        return MPPS_PREFIX + name;
    }

    /** The outbox destination notifying the AE named {@code name}. */
    public static String ian(String name) {
        return IAN_PREFIX + name;
    }

    /** The AE name of an {@link #mpps} or {@link #ian} destination, or null for another. */
    public static String aeName(String destination) {
        return destination.startsWith(MPPS_PREFIX) ? destination.substring(MPPS_PREFIX.length())
                : destination.startsWith(IAN_PREFIX) ? destination.substring(IAN_PREFIX.length()) : null;
    }
}
