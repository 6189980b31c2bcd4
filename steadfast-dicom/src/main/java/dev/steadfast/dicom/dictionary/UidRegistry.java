package dev.steadfast.dicom.dictionary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The UID registry (PS3.6 Annex A), read from the generated {@code uids.tsv}. */
public final class UidRegistry {
    private UidRegistry() {}

    /** The entry for a UID, null if unknown. */
    public static UidEntry lookup(String uid) {
        return Holder.BY_UID.get(uid);
    }

    /** The registered name of a UID, or the UID itself if it is unknown or unnamed. */
    public static String nameOf(String uid) {
        UidEntry e = lookup(uid);
        return e == null || e.name().isEmpty() ? uid : e.name();
    }

    /** All UIDs of a type, e.g. "Transfer Syntax", in registry order; empty for an unknown type. */
    public static List<UidEntry> ofType(String type) {
        return Holder.BY_TYPE.getOrDefault(type, List.of());
    }

    /**
     * SOP Classes of the Storage Service Class, retired ones included, sorted by UID string:
     * names ending in "Storage", optionally followed by " SOP Class" (old print storage) or a
     * " - For Presentation", " - For Processing" or " - Trial" suffix.
     */
    public static List<String> storageSopClasses() {
        return Holder.STORAGE;
    }

    private static final class Holder {
        static final Pattern STORAGE_NAME = Pattern.compile(".* Storage( SOP Class)?( - .+)?");
        static final Map<String, UidEntry> BY_UID = new HashMap<>(1024);
        static final Map<String, List<UidEntry>> BY_TYPE;
        static final List<String> STORAGE;

        static {
            Map<String, List<UidEntry>> byType = new LinkedHashMap<>();
            List<String> storage = new ArrayList<>();
            for (String[] f : Tsv.read("uids.tsv", 5)) {
                UidEntry e = new UidEntry(f[0], f[1], f[2], f[3], f[4].equals("1"));
                BY_UID.put(e.uid(), e);
                byType.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e);
                if (e.type().equals("SOP Class") && STORAGE_NAME.matcher(e.name()).matches()) {
                    storage.add(e.uid());
                }
            }
            byType.replaceAll((type, entries) -> List.copyOf(entries));
            BY_TYPE = Map.copyOf(byType);
            storage.sort(Comparator.naturalOrder());
            STORAGE = List.copyOf(storage);
        }
    }
}
