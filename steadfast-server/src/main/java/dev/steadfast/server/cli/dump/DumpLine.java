package dev.steadfast.server.cli.dump;

import java.util.List;

/**
 * One line of a listing, before layout: what {@link DumpPrinter} prints and what tests compare.
 *
 * @param depth   nesting level (items are one deeper than their sequence, their elements two)
 * @param tag     the element tag, or an item / delimiter tag (FFFE,xxxx)
 * @param vr      the VR as printed: a VR code, {@code na} for items and delimiters, {@code pi} for fragments
 * @param values  the decoded values (empty when {@code note} stands in for them)
 * @param quoted  whether values print in brackets (text), or bare (numbers, hex)
 * @param note    a structural or placeholder text such as {@code (not loaded)}, or null
 * @param length  the value length as printed: bytes, or {@code u/l} for undefined length
 * @param vm      value multiplicity as found
 * @param keyword dictionary keyword, or a descriptive word for items and unknown tags
 */
public record DumpLine(int depth, int tag, String vr, List<String> values, boolean quoted, String note,
                       String length, int vm, String keyword) {

    public static final String NOT_LOADED = "(not loaded)";
    public static final String NO_VALUE = "(no value available)";

    public DumpLine {
        values = List.copyOf(values);
    }

    static DumpLine note(int depth, int tag, String vr, String note, String length, int vm, String keyword) {
        return new DumpLine(depth, tag, vr, List.of(), false, note, length, vm, keyword);
    }
}
