package dev.steadfast.dicom.dictionary;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard data dictionary (PS3.6 section 6), read from the generated {@code elements.tsv}.
 * Private dictionaries are deliberately absent: private elements are kept as found.
 */
public final class ElementDictionary {
    private ElementDictionary() {}

    /**
     * One dictionary entry. {@code vrs} is empty for items and delimiters, and has several
     * VRs where the standard leaves the choice to the encoder (US or SS, OB or OW).
     */
    public record Entry(int tag, List<VR> vrs, String vm, String keyword, String name, boolean retired) {
        public Entry {
            vrs = List.copyOf(vrs);
        }

        /** The first VR, or null for items and delimiters. */
        public VR vr() {
            return vrs.isEmpty() ? null : vrs.get(0);
        }
    }

    /**
     * The entry for a tag, with {@code tag()} equal to the argument. Precedence: exact entry,
     * group length (every element 0000 is one, PS3.5 7.2), repeating-group entry (60xx etc.,
     * even groups only), private creator; null for anything else.
     */
    public static Entry lookup(int tag) {
        Entry exact = Holder.EXACT.get(tag);
        if (exact != null) {
            return exact;
        }
        if (Tag.isGroupLength(tag)) {
            return new Entry(tag, List.of(VR.UL), "1", "", "Group Length", false);
        }
        if (!Tag.isPrivate(tag)) {
            for (Repeater r : Holder.REPEATERS) {
                if ((tag & r.mask) == r.value) {
                    Entry e = r.entry;
                    return new Entry(tag, e.vrs, e.vm, e.keyword, e.name, e.retired);
                }
            }
            return null;
        }
        if (Tag.isPrivateCreator(tag)) {
            return new Entry(tag, List.of(VR.LO), "1", "PrivateCreator", "Private Creator", false);
        }
        return null;
    }

    /**
     * The VR to decode an implicit-VR element with: the entry's first VR, UN when there is none.
     * Multi-VR entries give their first VR; the reader resolves US/SS and OB/OW from context.
     */
    public static VR vrOf(int tag) {
        Entry e = lookup(tag);
        VR vr = e == null ? null : e.vr();
        return vr == null ? VR.UN : vr;
    }

    /**
     * The VR of a value whose stream gave none that can be used (UN in explicit VR): as
     * {@link #vrOf(int)}, except that an element the dictionary gives as "US or SS" (Smallest
     * Image Pixel Value, Pixel Padding Value, ...) is SS when the Pixel Representation in force
     * in {@code context} (or an enclosing data set) is 1, signed, and US otherwise (PS3.3 C.7.6.3.1).
     */
    public static VR vrOf(int tag, Dataset context) {
        Entry e = lookup(tag);
        if (e != null && e.vrs().contains(VR.SS) && e.vrs().contains(VR.US)) {
            return pixelRepresentation(context) == 1 ? VR.SS : VR.US;
        }
        return vrOf(tag);
    }

    /** Pixel Representation (0028,0103) of {@code ds} or the nearest enclosing data set; 0 (unsigned) when none says. */
    public static int pixelRepresentation(Dataset ds) {
        for (Dataset d = ds; d != null; d = d.parent()) {
            if (d.contains(Tag.PixelRepresentation)) {
                return d.getInt(Tag.PixelRepresentation, 0);
            }
        }
        return 0;
    }

    /** The tag of a keyword as in {@link Tag} (first group for repeating groups), -1 if unknown. */
    public static int tagOf(String keyword) {
        return Holder.BY_KEYWORD.getOrDefault(keyword, -1);
    }

    /** The keyword of a tag, "" if unknown or the standard gives none. */
    public static String keywordOf(int tag) {
        Entry e = lookup(tag);
        return e == null ? "" : e.keyword();
    }

    private record Repeater(int value, int mask, Entry entry) {}

    /** Loaded on first use; class initialisation makes this thread-safe. */
    private static final class Holder {
        static final Map<Integer, Entry> EXACT = new HashMap<>(8192);
        static final List<Repeater> REPEATERS = new ArrayList<>();
        static final Map<String, Integer> BY_KEYWORD = new HashMap<>(8192);

        static {
            for (String[] f : Tsv.read("elements.tsv", 6)) {
                Entry e = new Entry(0, vrs(f[1]), f[2], f[3], f[4], f[5].equals("1"));
                if (f[0].indexOf('x') < 0) {
                    e = new Entry(Integer.parseUnsignedInt(f[0], 16), e.vrs, e.vm, e.keyword, e.name, e.retired);
                    EXACT.put(e.tag, e);
                } else {
                    REPEATERS.add(new Repeater(Integer.parseUnsignedInt(f[0].replace('x', '0'), 16),
                            Integer.parseUnsignedInt(f[0].replaceAll("[0-9A-F]", "F").replace('x', '0'), 16), e));
                }
            }
            for (Entry e : EXACT.values()) {
                if (!e.keyword.isEmpty()) {
                    BY_KEYWORD.put(e.keyword, e.tag);
                }
            }
            for (Repeater r : REPEATERS) {
                BY_KEYWORD.put(r.entry.keyword, firstTagOf(r));
            }
        }

        private static List<VR> vrs(String field) {
            List<VR> vrs = new ArrayList<>(3);
            for (String code : field.isEmpty() ? new String[0] : field.split("\\|")) {
                vrs.add(VR.valueOf(code));
            }
            return vrs;
        }

        /**
         * The smallest tag that looks up to this repeater: (60xx,3000) gives 0x60003000, but
         * (1000,xxx0) skips its group length and (0028,04x0) the exact (0028,0400). Must match
         * tools/gen-dictionary.py, which writes the same tag into Tag.java.
         */
        private static int firstTagOf(Repeater r) {
            int free = ~r.mask;
            int subset = 0;
            do {
                int tag = r.value | subset;
                if (!EXACT.containsKey(tag) && !Tag.isGroupLength(tag) && !Tag.isPrivate(tag)) {
                    return tag;
                }
                subset = (subset - free) & free; // next subset of the free bits, ascending
            } while (subset != 0);
            throw new IllegalStateException("no tag resolves to " + r.entry.keyword);
        }
    }
}
