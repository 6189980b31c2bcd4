package dev.steadfast.archive.forward;

import dev.steadfast.archive.query.Wildcard;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One forward rule: instances that match every condition given go to {@code destination}. A
 * condition is a DICOM wildcard ({@code *}, {@code ?}; PS3.4 C.2.2.2.4) on the calling AE title,
 * the Modality, the SOP Class UID or any attribute of the header; a multi-valued attribute matches
 * when one of its values does. No condition at all: every instance.
 *
 * @param attributes tag -> pattern, for the conditions on other attributes
 */
public record ForwardRule(String destination, String callingAe, String modality, String sopClassUid,
                          Map<Integer, String> attributes) {
    public ForwardRule {
        Objects.requireNonNull(destination, "destination");
        attributes = Map.copyOf(attributes);
    }

    /** Whether an instance with this header, sent by {@code callingAe} (null: not over DIMSE), matches. */
    public boolean matches(Dataset header, String callingAe) {
        if (this.callingAe != null && !matchesOne(this.callingAe, callingAe == null ? List.of() : List.of(callingAe))) {
            return false;
        }
        if (modality != null && !matchesOne(modality, values(header, Tag.Modality))) {
            return false;
        }
        if (sopClassUid != null && !matchesOne(sopClassUid, values(header, Tag.SOPClassUID))) {
            return false;
        }
        for (Map.Entry<Integer, String> a : attributes.entrySet()) {
            if (!matchesOne(a.getValue(), values(header, a.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> values(Dataset header, int tag) {
        String v = header.getString(tag);
        if (v == null) {
            return List.of();
        }
        return java.util.Arrays.stream(v.split("\\\\")).map(String::strip).toList();
    }

    private static boolean matchesOne(String pattern, List<String> values) {
        Wildcard w = new Wildcard(pattern);
        return values.stream().anyMatch(w::matches);
    }
}
