package dev.steadfast.dicom.json;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.value.PersonName;
import dev.steadfast.dicom.value.Values;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a data set in the DICOM JSON Model (PS3.18 F.2), streaming to a {@link Writer}.
 *
 * <ul>
 * <li>Keys are 8 uppercase hex digits in tag order; an empty element has no "Value".
 * <li>IS and DS are JSON numbers (DICOM's looser syntax normalised); text that is not a number at
 *     all (invalid in the file) stays a JSON string, so nothing is lost and nothing throws.
 * <li>SV and UV beyond ±(2^53 - 1) are decimal strings, as JavaScript numbers cannot hold them;
 *     NaN and infinite FL/FD values are the strings "NaN", "Infinity", "-Infinity".
 * <li>Empty values inside a multi-valued element are {@code null}.
 * <li>Binary values up to {@link JsonOptions#inlineBinaryLimit()} bytes are InlineBinary (little
 *     endian); longer ones, {@link BulkData} references and encapsulated pixel data
 *     ({@link Fragments}) always become a BulkDataURI named by {@link JsonOptions#uris()}.
 * <li>CP-246 UN sequences are "SQ"; explicit-VR UN elements of standard tags take their
 *     dictionary VR ({@link WebValues#effective}).
 * </ul>
 * The data set is written as is: File Meta Information is included only if it is in it.
 */
public final class DicomJsonWriter {
    private final JsonOut json;
    private final JsonOptions options;
    private final List<Integer> path = new ArrayList<>();

    private DicomJsonWriter(Writer out, JsonOptions options) {
        this.json = new JsonOut(out, options.pretty());
        this.options = options;
    }

    public static void write(Dataset ds, Writer out, JsonOptions options) throws IOException {
        DicomJsonWriter w = new DicomJsonWriter(out, options);
        w.dataset(ds);
        w.json.flush();
    }

    /** Several data sets as a JSON array, as QIDO-RS and WADO-RS metadata return them. */
    public static void writeArray(Iterable<Dataset> datasets, Writer out, JsonOptions options) throws IOException {
        DicomJsonWriter w = new DicomJsonWriter(out, options);
        w.json.beginArray();
        for (Dataset ds : datasets) {
            w.dataset(ds);
        }
        w.json.endArray();
        w.json.flush();
    }

    public static String toJson(Dataset ds, JsonOptions options) {
        StringWriter sw = new StringWriter();
        try {
            write(ds, sw, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return sw.toString();
    }

    public static String toJson(Dataset ds) {
        return toJson(ds, JsonOptions.DEFAULT);
    }

    private void dataset(Dataset ds) throws IOException {
        json.beginObject();
        for (Element raw : ds) {
            path.add(raw.tag());
            Element e = WebValues.effective(raw, ds);
            json.key(String.format("%08X", e.tag()));
            json.beginObject();
            json.key("vr");
            json.string(e.vr().name());
            value(e, ds);
            json.endObject();
            path.removeLast();
        }
        json.endObject();
    }

    private void value(Element e, Dataset holder) throws IOException {
        switch (e.value()) {
            case null -> { }
            case Sequence s -> items(s);
            case Fragments f -> bulk(e);
            case BulkData bd -> bulk(e);
            case byte[] b when e.vr().kind() == VR.Kind.BINARY -> binary(e, b);
            case byte[] b -> values(e, holder);
            default -> throw new IllegalStateException("unexpected value " + e.value().getClass());
        }
    }

    private void items(Sequence s) throws IOException {
        if (s.isEmpty()) {
            return;
        }
        json.key("Value");
        json.beginArray();
        for (int i = 0; i < s.size(); i++) {
            path.add(i);
            dataset(s.get(i));
            path.removeLast();
        }
        json.endArray();
    }

    private void bulk(Element e) throws IOException {
        json.key("BulkDataURI");
        json.string(options.uris().uriFor(e, List.copyOf(path)));
    }

    private void binary(Element e, byte[] b) throws IOException {
        if (b.length == 0) {
            return;
        }
        if (!options.inlines(b.length)) {
            bulk(e);
            return;
        }
        json.key("InlineBinary");
        json.base64(WebValues.littleEndian(e));
    }

    private void values(Element e, Dataset holder) throws IOException {
        String[] text = switch (e.vr().kind()) {
            case STRING, TEXT, TEXT_MULTI, PERSON_NAME -> WebValues.strings(e, holder);
            default -> null;
        };
        if (e.isEmpty() || text != null && (text.length == 0 || text.length == 1 && text[0].isEmpty())) {
            return; // padding alone is an empty value
        }
        json.key("Value");
        json.beginArray();
        switch (e.vr().kind()) {
            case INT16, UINT16, INT32, UINT32, INT64, UINT64 -> {
                boolean unsigned = e.vr() == VR.UV;
                for (long v : Values.longs(e)) {
                    String digits = WebValues.integerText(v, unsigned);
                    if (WebValues.safeInteger(v, unsigned)) {
                        json.number(digits);
                    } else {
                        json.string(digits);
                    }
                }
            }
            case FLOAT32, FLOAT64 -> {
                for (double v : Values.doubles(e)) {
                    String number = WebValues.floatText(v, e.vr() == VR.FL);
                    if (number != null) {
                        json.number(number);
                    } else {
                        json.string(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
                    }
                }
            }
            case TAG -> {
                for (long v : Values.longs(e)) {
                    json.string(String.format("%08X", v));
                }
            }
            case PERSON_NAME -> {
                for (String v : text) {
                    personName(v);
                }
            }
            default -> strings(e.vr(), text);
        }
        json.endArray();
    }

    private void strings(VR vr, String[] text) throws IOException {
        boolean numeric = vr == VR.DS || vr == VR.IS;
        for (String v : text) {
            if (v.isEmpty()) {
                json.nul();
                continue;
            }
            String number = numeric ? WebValues.numberText(v, vr) : null;
            if (number != null) {
                json.number(number);
            } else {
                json.string(v);
            }
        }
    }

    private void personName(String v) throws IOException {
        if (v.isEmpty()) {
            json.nul();
            return;
        }
        PersonName pn = PersonName.parse(v);
        json.beginObject();
        group("Alphabetic", pn.alphabetic());
        group("Ideographic", pn.ideographic());
        group("Phonetic", pn.phonetic());
        json.endObject();
    }

    private void group(String name, String value) throws IOException {
        if (!value.isEmpty()) {
            json.key(name);
            json.string(value);
        }
    }
}
