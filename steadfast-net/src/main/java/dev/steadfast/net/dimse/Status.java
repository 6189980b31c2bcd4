package dev.steadfast.net.dimse;

/**
 * A DIMSE status (PS3.7 annex C, PS3.4) as a value with its category. Any 16-bit code is allowed;
 * the constants name the ones this module uses.
 */
public record Status(int code) {
    /** PS3.7 C.1: what a status means to the requestor. */
    public enum Category { SUCCESS, PENDING, CANCEL, WARNING, FAILURE }

    public static final Status SUCCESS = new Status(0x0000);
    public static final Status PENDING = new Status(0xFF00);
    /** Pending, with one or more optional keys not supported (C-FIND). */
    public static final Status PENDING_WARNING = new Status(0xFF01);
    public static final Status CANCEL = new Status(0xFE00);
    /** Warning: sub-operations complete, one or more failures or warnings (C-MOVE/C-GET). */
    public static final Status SUB_OPERATIONS_COMPLETE_WITH_FAILURES = new Status(0xB000);
    public static final Status COERCION_OF_DATA_ELEMENTS = new Status(0xB000);
    public static final Status ELEMENTS_DISCARDED = new Status(0xB006);
    public static final Status DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = new Status(0xB007);

    public static final Status NO_SUCH_ATTRIBUTE = new Status(0x0105);
    public static final Status INVALID_ATTRIBUTE_VALUE = new Status(0x0106);
    public static final Status PROCESSING_FAILURE = new Status(0x0110);
    public static final Status DUPLICATE_SOP_INSTANCE = new Status(0x0111);
    public static final Status NO_SUCH_SOP_INSTANCE = new Status(0x0112);
    public static final Status NO_SUCH_EVENT_TYPE = new Status(0x0113);
    public static final Status NO_SUCH_ACTION_TYPE = new Status(0x0123);
    public static final Status INVALID_SOP_INSTANCE = new Status(0x0117);
    public static final Status MISSING_ATTRIBUTE = new Status(0x0120);
    public static final Status MISSING_ATTRIBUTE_VALUE = new Status(0x0121);
    public static final Status SOP_CLASS_NOT_SUPPORTED = new Status(0x0122);
    public static final Status NOT_AUTHORIZED = new Status(0x0124);
    public static final Status DUPLICATE_INVOCATION = new Status(0x0210);
    public static final Status UNRECOGNIZED_OPERATION = new Status(0x0211);
    public static final Status MISTYPED_ARGUMENT = new Status(0x0212);
    public static final Status RESOURCE_LIMITATION = new Status(0x0213);
    public static final Status OUT_OF_RESOURCES = new Status(0xA700);
    /** C-MOVE/C-GET: unable to calculate the number of matches. */
    public static final Status OUT_OF_RESOURCES_NUMBER_OF_MATCHES = new Status(0xA701);
    /** C-MOVE/C-GET: unable to perform sub-operations. */
    public static final Status OUT_OF_RESOURCES_SUB_OPERATIONS = new Status(0xA702);
    public static final Status MOVE_DESTINATION_UNKNOWN = new Status(0xA801);
    public static final Status DATA_SET_DOES_NOT_MATCH_SOP_CLASS = new Status(0xA900);
    public static final Status IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = new Status(0xA900);
    public static final Status CANNOT_UNDERSTAND = new Status(0xC000);
    /** C-FIND/C-MOVE/C-GET: unable to process (PS3.4 C.4.1.1.4). */
    public static final Status UNABLE_TO_PROCESS = new Status(0xC000);

    public Status {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("status code out of range: " + code);
        }
    }

    public Category category() {
        if (code == 0) {
            return Category.SUCCESS;
        }
        if (code == 0xFF00 || code == 0xFF01) {
            return Category.PENDING;
        }
        if (code == 0xFE00) {
            return Category.CANCEL;
        }
        if (code == 0x0001 || code == 0x0107 || code == 0x0116 || (code & 0xF000) == 0xB000) {
            return Category.WARNING;
        }
        return Category.FAILURE;
    }

    public boolean isSuccess() {
        return code == 0;
    }

    public boolean isPending() {
        return category() == Category.PENDING;
    }

    public boolean isFailure() {
        return category() == Category.FAILURE;
    }

    @Override
    public String toString() {
        return String.format("%04X (%s)", code, category().name().toLowerCase(java.util.Locale.ROOT));
    }
}
