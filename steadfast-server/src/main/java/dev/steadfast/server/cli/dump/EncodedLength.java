package dev.steadfast.server.cli.dump;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.VR;

/**
 * Encoded lengths of sequences and items as they were read, recomputed from the data set
 * (the model keeps values, not the length fields of containers). Values are kept as found,
 * so their lengths are exact; only element headers depend on the encoding.
 */
final class EncodedLength {
    private static final int ITEM_HEADER = 8;
    private static final int DELIMITER = 8;

    private EncodedLength() {}

    /** Length of an item's content (without its own header or delimiter). */
    static long ofItem(Dataset item, boolean explicit) {
        long n = 0;
        for (Element e : item) {
            n += ofElement(e, explicit);
        }
        return n;
    }

    /** Length of a sequence's value: its items with their headers and delimiters. */
    static long ofSequence(Sequence seq, boolean explicit) {
        long n = 0;
        for (Dataset item : seq) {
            n += ITEM_HEADER + ofItem(item, explicit) + (item.undefinedLength() ? DELIMITER : 0);
        }
        return n;
    }

    private static long ofElement(Element e, boolean explicit) {
        long header = explicit ? e.vr().explicitHeaderLength() : 8;
        return switch (e.value()) {
            case Sequence s -> {
                // CP-246: the items of a UN sequence are implicit VR.
                boolean inner = explicit && e.vr() != VR.UN;
                yield header + ofSequence(s, inner) + (s.undefinedLength() ? DELIMITER : 0);
            }
            case Fragments f -> {
                long n = header + DELIMITER;
                for (Object fragment : f) {
                    n += ITEM_HEADER + Fragments.lengthOf(fragment);
                }
                yield n;
            }
            case null, default -> header + e.length();
        };
    }
}
