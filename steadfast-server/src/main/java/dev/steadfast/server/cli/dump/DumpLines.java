package dev.steadfast.server.cli.dump;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks a data set in tag order and emits one {@link DumpLine} per element, item, fragment
 * and encoded delimiter, with dcmdump's structure: sequence, items two spaces deeper,
 * their elements two more; delimiters only where the file has them (undefined lengths).
 */
public final class DumpLines {
    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private final Consumer<DumpLine> sink;
    private final long maxBinaryBytes;

    private DumpLines(Consumer<DumpLine> sink, long maxBinaryBytes) {
        this.sink = sink;
        this.maxBinaryBytes = maxBinaryBytes;
    }

    /**
     * @param explicitVR     whether the data set was encoded with explicit VR (for container lengths)
     * @param maxBinaryBytes how many bytes of each binary value to render (Long.MAX_VALUE for all)
     */
    public static void walk(Dataset ds, boolean explicitVR, long maxBinaryBytes, Consumer<DumpLine> sink) {
        new DumpLines(sink, maxBinaryBytes).dataset(ds, 0, explicitVR);
    }

    /** All lines of a data set, every value rendered in full. */
    public static List<DumpLine> of(Dataset ds, boolean explicitVR) {
        List<DumpLine> out = new ArrayList<>();
        walk(ds, explicitVR, Long.MAX_VALUE, out::add);
        return out;
    }

    private void dataset(Dataset ds, int depth, boolean explicit) {
        for (Element e : ds) {
            switch (e.value()) {
                case Sequence s -> sequence(e, s, depth, explicit);
                case Fragments f -> fragments(e, f, depth);
                case null, default -> {
                    ValueText.Rendered r = ValueText.of(e, ds, maxBinaryBytes);
                    sink.accept(new DumpLine(depth, e.tag(), e.vr().name(), r.values(), r.quoted(), r.note(),
                            Long.toString(e.length()), r.vm(), keyword(e.tag())));
                }
            }
        }
    }

    private void sequence(Element e, Sequence s, int depth, boolean explicit) {
        boolean inner = explicit && e.vr() != VR.UN; // CP-246: UN sequences hold implicit VR items
        boolean undefined = s.undefinedLength();
        sink.accept(DumpLine.note(depth, e.tag(), e.vr().name(),
                "(Sequence with " + kind(undefined) + " length #=" + s.size() + ")",
                undefined ? "u/l" : Long.toString(EncodedLength.ofSequence(s, inner)), 1, keyword(e.tag())));
        for (Dataset item : s) {
            boolean itemUndefined = item.undefinedLength();
            sink.accept(DumpLine.note(depth + 1, ITEM, "na",
                    "(Item with " + kind(itemUndefined) + " length #=" + item.size() + ")",
                    itemUndefined ? "u/l" : Long.toString(EncodedLength.ofItem(item, inner)), 1, "Item"));
            dataset(item, depth + 2, inner);
            if (itemUndefined) {
                sink.accept(DumpLine.note(depth + 1, ITEM_DELIMITATION, "na", "(ItemDelimitationItem)", "0", 0,
                        "ItemDelimitationItem"));
            }
        }
        if (undefined) {
            sequenceDelimiter(depth);
        }
    }

    private void fragments(Element e, Fragments f, int depth) {
        sink.accept(DumpLine.note(depth, e.tag(), e.vr().name(), "(PixelSequence #=" + f.size() + ")", "u/l", 1,
                keyword(e.tag())));
        for (Object fragment : f) {
            Element item = fragment instanceof byte[] b
                    ? new Element(ITEM, VR.OB, b, false)
                    : new Element(ITEM, VR.OB, fragment, false);
            ValueText.Rendered r = ValueText.of(item, null, maxBinaryBytes);
            sink.accept(new DumpLine(depth + 1, ITEM, "pi", r.values(), false, r.note(),
                    Long.toString(Fragments.lengthOf(fragment)), 1, "Item"));
        }
        sequenceDelimiter(depth);
    }

    private void sequenceDelimiter(int depth) {
        sink.accept(DumpLine.note(depth, SEQUENCE_DELIMITATION, "na", "(SequenceDelimitationItem)", "0", 0,
                "SequenceDelimitationItem"));
    }

    private static String kind(boolean undefinedLength) {
        return undefinedLength ? "undefined" : "explicit";
    }

    static String keyword(int tag) {
        ElementDictionary.Entry entry = ElementDictionary.lookup(tag);
        if (entry == null) {
            return Tag.isPrivate(tag) ? "PrivateTag" : "UnknownTag";
        }
        if (entry.keyword().isEmpty()) {
            return Tag.isGroupLength(tag) ? "GroupLength" : entry.name().replace(" ", "");
        }
        return entry.keyword();
    }
}
