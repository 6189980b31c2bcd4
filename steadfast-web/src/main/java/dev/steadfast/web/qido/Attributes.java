package dev.steadfast.web.qido;

import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.web.http.HttpError;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Names of attributes in QIDO-RS parameters: a keyword or eight hex digits, dotted through sequences. */
final class Attributes {
    private Attributes() {}

    /** The tag path of {@code PatientName}, {@code 00100010} or {@code RequestAttributesSequence.ScheduledProcedureStepID}. */
    static int[] path(String name) {
        // -1 keeps empty parts ("." or "a..b"), so they are refused by name instead of giving an empty path
        String[] parts = name.split("\\.", -1);
        int[] tags = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            tags[i] = tag(parts[i], name);
        }
        return tags;
    }

    private static int tag(String id, String whole) {
        if (id.length() == 8 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Integer.parseUnsignedInt(id, 16);
        }
        int tag = ElementDictionary.tagOf(id);
        if (tag == -1) {
            throw HttpError.badRequest("unknown attribute '" + whole + "': use a DICOM keyword or eight hex digits");
        }
        return tag;
    }

    /** Every standard public tag, for includefield=all (the response then drops those that are empty). */
    static int[] all() {
        return AllTags.TAGS;
    }

    private static final class AllTags {
        static final int[] TAGS;

        static {
            List<Integer> tags = new ArrayList<>();
            for (Field f : Tag.class.getFields()) {
                if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                    try {
                        int t = f.getInt(null);
                        int group = t >>> 16;
                        // No meta, command, pixel data, or repeating-group placeholders.
                        if (group > 0x0002 && group < 0x7FE0 && (group & 0xFF00) != 0x5000 && (group & 0xFF00) != 0x6000
                                && !Tag.isGroupLength(t) && ElementDictionary.lookup(t) != null) {
                            tags.add(t);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            TAGS = tags.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        }
    }

    static String describe(int[] path) {
        return Arrays.toString(Arrays.stream(path).mapToObj(Tag::toString).toArray());
    }
}
