package dev.steadfast.archive.query;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.charset.SpecificCharacterSet;

/**
 * The character set of an answer (PS3.4 C.4.1.1.3.2): the requester's when it can hold every
 * value of the answer, else the one the values were stored in; Specific Character Set (0008,0005)
 * is present only when the answer's set is not the default repertoire. Also writes UIDs without
 * the extra NUL padding some stored files carry.
 */
final class AnswerCharset {
    private AnswerCharset() {}

    /**
     * The answer re-encoded for the requester.
     *
     * @param built     the answer as built from stored values, whose (0008,0005) is the stored set
     * @param requested the values of (0008,0005) in the request, or none
     */
    static Dataset forRequester(Dataset built, String[] requested) {
        SpecificCharacterSet wanted = SpecificCharacterSet.of(requested);
        Dataset out = new Dataset();
        if (!wanted.isAscii()) {
            out.setString(Tag.SpecificCharacterSet, VR.CS, requested);
        }
        if (copy(built, out, true)) {
            return out;
        }
        // Some value needs the stored set: answer in it, as stored.
        Dataset stored = new Dataset();
        Element cs = built.get(Tag.SpecificCharacterSet);
        if (cs != null && !built.charset().isAscii()) {
            stored.put(cs);
        }
        copy(built, stored, false);
        return stored;
    }

    /** Copies {@code from} into {@code to}; returns false as soon as a text value cannot be written in {@code to}'s set. */
    private static boolean copy(Dataset from, Dataset to, boolean transcode) {
        for (Element e : from) {
            int tag = e.tag();
            if (tag == Tag.SpecificCharacterSet) {
                continue; // the answer's own is set once, at the top
            }
            if (e.value() instanceof Sequence s) {
                Sequence t = to.newSequence(tag, e.vr(), s.undefinedLength(), e.bigEndian());
                for (Dataset item : s) {
                    if (!copy(item, t.addItem(), transcode)) {
                        return false;
                    }
                }
            } else if (e.vr() == VR.UI && e.bytes() != null) {
                to.setString(tag, VR.UI, from.getStrings(tag));
            } else if (transcode && e.vr().usesSpecificCharacterSet() && e.bytes() != null && !from.charset().equals(
                    to.charset())) {
                String[] values = from.getStrings(tag);
                to.setString(tag, e.vr(), values);
                if (!java.util.Arrays.equals(values, to.getStrings(tag))) {
                    return false;
                }
            } else {
                to.put(e);
            }
        }
        return true;
    }
}
