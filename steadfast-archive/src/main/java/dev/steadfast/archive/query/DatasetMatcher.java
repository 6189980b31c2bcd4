package dev.steadfast.archive.query;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

/**
 * C-FIND matching of whole stored data sets, for information models whose entries are one data set
 * each (the modality worklist, issue 18): every key matched as {@link KeyMatcher} does (PS3.4
 * C.2.2.2: single value, wildcard, range, list of UIDs, universal, sequence), and the answer built
 * from the requested keys only, a sequence key returning the stored items that match its item
 * keys, each with only the requested attributes (C.2.2.2.6).
 */
public final class DatasetMatcher {
    private final Dataset keys;
    private final KeyMatcher matcher;
    private final boolean fold;

    private DatasetMatcher(Dataset keys, boolean foldPersonNames) {
        this.keys = keys;
        this.fold = foldPersonNames;
        this.matcher = KeyMatcher.of(keys, t -> false, foldPersonNames);
    }

    /**
     * @throws InvalidQueryException for a key that cannot be matched as given
     */
    public static DatasetMatcher of(Dataset keys, boolean foldPersonNames) {
        for (Element e : keys) {
            if (!e.isEmpty() && e.vr() != null && (e.vr() == VR.DA || e.vr() == VR.TM || e.vr() == VR.DT)) {
                TemporalKeys.check(e.tag(), e.vr(), keys.getStrings(e.tag()));
            }
        }
        return new DatasetMatcher(keys, foldPersonNames);
    }

    public boolean matches(Dataset stored) {
        return matcher.matches(stored);
    }

    /** The answer to the keys from {@code stored}: each requested attribute, empty where it has none. */
    public Dataset answer(Dataset stored) {
        Dataset out = new Dataset();
        Element charset = stored.get(Tag.SpecificCharacterSet);
        if (charset != null) {
            out.put(charset);
        }
        for (Element k : keys) {
            int tag = k.tag();
            if (tag == Tag.SpecificCharacterSet || (tag >>> 16) <= 0x0002) {
                continue;
            }
            answer(k, stored, out, fold);
        }
        return out;
    }

    /**
     * One requested attribute from a stored data set, for the worklist and the query SCP alike. A
     * sequence key with item keys returns the stored items that match them, each with only the requested
     * attributes (PS3.4 C.2.2.2.6); an empty sequence key returns the whole stored sequence.
     */
    static void answer(Element key, Dataset stored, Dataset into, boolean fold) {
        int tag = key.tag();
        Element found = stored.get(tag);
        if (key.value() instanceof Sequence ks && !ks.isEmpty() && !ks.get(0).isEmpty()
                && found != null && found.value() instanceof Sequence items) {
            Dataset itemKeys = ks.get(0);
            KeyMatcher item = KeyMatcher.forItem(itemKeys, fold);
            Sequence out = into.newSequence(tag);
            for (Dataset i : items) {
                if (item.matches(i)) {
                    Dataset o = out.addItem();
                    for (Element k : itemKeys) {
                        answer(k, i, o, fold);
                    }
                }
            }
        } else if (found != null) {
            into.put(found);
        } else if (key.value() instanceof Sequence || key.vr() == VR.SQ) {
            into.newSequence(tag); // absent: an empty sequence
        } else {
            into.setNull(tag, key.vr());
        }
    }
}
