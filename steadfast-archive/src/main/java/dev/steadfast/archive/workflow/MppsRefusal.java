package dev.steadfast.archive.workflow;

/**
 * Why an MPPS N-CREATE or N-SET is refused (PS3.4 F.7.2), in the archive's terms; the DIMSE front
 * door maps each reason to its status.
 *
 * @see Reason
 */
public final class MppsRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    /** The refusals of PS3.4 F.7.2.1.3 and F.7.2.2.3, each named after the status it is answered with. */
    public enum Reason {
        /** 0106: a value the SCP may not accept (status other than IN PROGRESS at creation, an unchangeable attribute changed). */
        INVALID_ATTRIBUTE_VALUE,
        /** 0120: a type 1 attribute is absent. */
        MISSING_ATTRIBUTE,
        /** 0121: a type 1 attribute is present without a value. */
        MISSING_ATTRIBUTE_VALUE,
        /** 0111: the SOP Instance UID exists already. */
        DUPLICATE_SOP_INSTANCE,
        /** 0112: N-SET of an instance this SCP does not have. */
        NO_SUCH_SOP_INSTANCE,
        /** 0110: N-SET of a step already COMPLETED or DISCONTINUED (F.7.2.2.3). */
        NO_LONGER_UPDATABLE
    }

    private final Reason reason;
    private final int tag;

    /** @param tag the offending attribute, or -1 */
    public MppsRefusal(Reason reason, int tag, String message) {
        super(message);
        this.reason = reason;
        this.tag = tag;
    }

    public Reason reason() {
        return reason;
    }

    /** The offending attribute, or -1. */
    public int tag() {
        return tag;
    }
}
