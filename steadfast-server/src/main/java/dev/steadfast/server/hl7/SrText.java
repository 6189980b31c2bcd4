package dev.steadfast.server.hl7;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import java.util.ArrayList;
import java.util.List;

/**
 * A Structured Report's content tree as lines of text (PS3.3 C.17.3), for the OBX segments of an
 * ORU^R01: a container gives its concept name as a heading, a content item "name: value". Image and
 * composite references, waveforms and spatial coordinates have no text and are left out.
 */
final class SrText {
    private SrText() {
    }

    /** The document's lines, its title first. */
    static List<String> lines(Dataset sr) {
        List<String> out = new ArrayList<>();
        String title = meaning(sr, Tag.ConceptNameCodeSequence);
        if (title != null) {
            out.add(title);
        }
        walk(sr.getSequence(Tag.ContentSequence), 0, out);
        return out;
    }

    private static void walk(Sequence items, int depth, List<String> out) {
        if (items == null || depth > 64) { // a hostile nesting stops here
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            Dataset item = items.get(i);
            String type = item.getString(Tag.ValueType);
            String name = meaning(item, Tag.ConceptNameCodeSequence);
            String value = value(item, type == null ? "" : type.strip());
            String indent = "  ".repeat(depth);
            if ("CONTAINER".equals(type)) {
                if (name != null) {
                    out.add(indent + name);
                }
            } else if (value != null) {
                String[] text = value.split("\\r\\n|\\r|\\n", -1);
                out.add(indent + (name == null ? "" : name + ": ") + text[0]);
                for (int k = 1; k < text.length; k++) {
                    out.add(indent + text[k]);
                }
            }
            walk(item.getSequence(Tag.ContentSequence), depth + 1, out);
        }
    }

    private static String value(Dataset item, String type) {
        return switch (type) {
            case "TEXT" -> item.getString(Tag.TextValue);
            case "CODE" -> meaning(item, Tag.ConceptCodeSequence);
            case "PNAME" -> item.getString(Tag.PersonName);
            case "DATE" -> item.getString(Tag.Date);
            case "TIME" -> item.getString(Tag.Time);
            case "DATETIME" -> item.getString(Tag.DateTime);
            case "UIDREF" -> item.getString(Tag.UID);
            case "NUM" -> number(item);
            default -> null;
        };
    }

    private static String number(Dataset item) {
        Sequence mv = item.getSequence(Tag.MeasuredValueSequence);
        if (mv == null || mv.size() == 0) {
            return null;
        }
        String v = mv.get(0).getString(Tag.NumericValue);
        Sequence units = mv.get(0).getSequence(Tag.MeasurementUnitsCodeSequence);
        String unit = units == null || units.size() == 0 ? null : units.get(0).getString(Tag.CodeValue);
        return v == null ? null : v.strip() + (unit == null || unit.isBlank() || "1".equals(unit.strip()) ? "" : " " + unit.strip());
    }

    /** The code meaning of the first item of a code sequence, or null. */
    static String meaning(Dataset ds, int sequenceTag) {
        Sequence s = ds.getSequence(sequenceTag);
        if (s == null || s.size() == 0) {
            return null;
        }
        String m = s.get(0).getString(Tag.CodeMeaning);
        return m == null || m.isBlank() ? null : m.strip();
    }
}
