package dev.steadfast.dicom.json;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.JsonParser.Arr;
import dev.steadfast.dicom.json.JsonParser.Node;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.dicom.json.JsonParser.Str;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the DICOM JSON Model (PS3.18 F.2) into data sets. Strict: malformed JSON, unknown
 * members, wrong value types and out-of-range numbers end in a {@link DicomJsonException}
 * saying where. Tag keys are 8 hex digits (either case). Specific Character Set is applied
 * before the other elements of each data set, so their text is encoded in it. IS, DS, SV and
 * UV also accept JSON strings holding a number, and FL/FD the strings NaN and ±Infinity, as
 * {@link DicomJsonWriter} and other writers produce them.
 *
 * <p>BulkDataURI values go through a {@link BulkDataUriResolver}; without one they are left
 * empty, so untrusted JSON can never point the archive at a local file.
 */
public final class DicomJsonReader {
    /** Longest JSON string accepted (characters): 512 MiB of InlineBinary, decoded to 384 MiB. */
    public static final long MAX_STRING_CHARS = 512L << 20;

    private static final Set<String> MEMBERS = Set.of("vr", "Value", "InlineBinary", "BulkDataURI");

    private final BulkDataUriResolver resolver;
    private final List<Integer> path = new ArrayList<>();

    private DicomJsonReader(BulkDataUriResolver resolver) {
        this.resolver = resolver;
    }

    public static Dataset read(Reader in) throws IOException {
        return read(in, BulkDataUriResolver.NONE);
    }

    public static Dataset read(Reader in, BulkDataUriResolver resolver) throws IOException {
        Node root = new JsonParser(in, MAX_STRING_CHARS).parseDocument();
        Dataset ds = new Dataset();
        new DicomJsonReader(resolver).dataset(object(root, "a data set"), ds);
        return ds;
    }

    public static Dataset fromJson(String json) throws DicomJsonException {
        try {
            return read(new StringReader(json));
        } catch (DicomJsonException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
    }

    /** A JSON array of data sets, as QIDO-RS and WADO-RS metadata responses hold. */
    public static List<Dataset> readArray(Reader in) throws IOException {
        return readArray(in, BulkDataUriResolver.NONE);
    }

    public static List<Dataset> readArray(Reader in, BulkDataUriResolver resolver) throws IOException {
        Node root = new JsonParser(in, MAX_STRING_CHARS).parseDocument();
        if (!(root instanceof Arr arr)) {
            throw new DicomJsonException("expected an array of data sets", root.pos());
        }
        List<Dataset> out = new ArrayList<>(arr.items().size());
        for (Node n : arr.items()) {
            Dataset ds = new Dataset();
            new DicomJsonReader(resolver).dataset(object(n, "a data set"), ds);
            out.add(ds);
        }
        return out;
    }

    private void dataset(Obj obj, Dataset ds) throws IOException {
        Node charset = obj.members().get("00080005");
        if (charset != null) {
            element(Tag.SpecificCharacterSet, charset, ds); // first: the text below is encoded in it
        }
        for (Map.Entry<String, Node> m : obj.members().entrySet()) {
            int tag = tag(m.getKey(), m.getValue().pos());
            if (tag != Tag.SpecificCharacterSet) {
                element(tag, m.getValue(), ds);
            }
        }
    }

    private static int tag(String key, long pos) throws DicomJsonException {
        if (key.length() != 8) {
            throw new DicomJsonException("attribute key \"" + key + "\" is not 8 hex digits", pos);
        }
        for (int i = 0; i < 8; i++) {
            if (Character.digit(key.charAt(i), 16) < 0) {
                throw new DicomJsonException("attribute key \"" + key + "\" is not 8 hex digits", pos);
            }
        }
        int tag = Integer.parseUnsignedInt(key, 16);
        if (Tag.group(tag) == 0xFFFE) {
            throw new DicomJsonException("item and delimitation tags are not attributes: " + key, pos);
        }
        return tag;
    }

    private void element(int tag, Node node, Dataset ds) throws IOException {
        String where = Tag.toString(tag);
        Obj attr = object(node, "attribute " + where);
        for (String k : attr.members().keySet()) {
            if (!MEMBERS.contains(k)) {
                throw new DicomJsonException("unknown member \"" + k + "\" in " + where, attr.pos());
            }
        }
        Node vrNode = attr.members().get("vr");
        if (vrNode == null) {
            throw new DicomJsonException("missing \"vr\" in " + where, attr.pos());
        }
        VR vr = vr(string(vrNode, "the vr of " + where), vrNode.pos());
        Node value = attr.members().get("Value");
        Node inline = attr.members().get("InlineBinary");
        Node bulk = attr.members().get("BulkDataURI");
        if ((value != null ? 1 : 0) + (inline != null ? 1 : 0) + (bulk != null ? 1 : 0) > 1) {
            throw new DicomJsonException("more than one of Value, InlineBinary, BulkDataURI in " + where, attr.pos());
        }
        path.add(tag);
        try {
            if (inline != null) {
                inlineBinary(tag, vr, inline, ds);
            } else if (bulk != null) {
                bulkData(tag, vr, bulk, ds);
            } else if (value != null) {
                Arr arr = array(value, "the Value of " + where);
                if (vr == VR.SQ) {
                    sequence(tag, arr, ds);
                } else {
                    ValueDecoder.put(ds, tag, vr, arr);
                }
            } else if (vr == VR.SQ) {
                ds.newSequence(tag);
            } else {
                ds.setNull(tag, vr);
            }
        } finally {
            path.removeLast();
        }
    }

    private static VR vr(String code, long pos) throws DicomJsonException {
        if (code.length() == 2) {
            VR vr = VR.ofCode((code.charAt(0) << 8) | code.charAt(1));
            if (vr != null) {
                return vr;
            }
        }
        throw new DicomJsonException("unknown VR \"" + code + "\"", pos);
    }

    private void sequence(int tag, Arr arr, Dataset ds) throws IOException {
        Sequence seq = ds.newSequence(tag);
        for (int i = 0; i < arr.items().size(); i++) {
            path.add(i);
            dataset(object(arr.items().get(i), "a sequence item of " + Tag.toString(tag)), seq.addItem());
            path.removeLast();
        }
    }

    private static void inlineBinary(int tag, VR vr, Node node, Dataset ds) throws DicomJsonException {
        if (vr.kind() != VR.Kind.BINARY) {
            throw new DicomJsonException("InlineBinary is only for OB, OD, OF, OL, OV, OW and UN, not " + vr,
                    node.pos());
        }
        String text = string(node, "InlineBinary of " + Tag.toString(tag));
        try {
            ds.setBytes(tag, vr, Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new DicomJsonException("invalid base64 in InlineBinary of " + Tag.toString(tag) + ": "
                    + e.getMessage(), node.pos());
        }
    }

    private void bulkData(int tag, VR vr, Node node, Dataset ds) throws IOException {
        if (vr == VR.SQ) {
            throw new DicomJsonException("a sequence cannot be bulk data", node.pos());
        }
        String uri = string(node, "BulkDataURI of " + Tag.toString(tag));
        Object value = resolver.resolve(List.copyOf(path), vr, uri);
        ds.put(new Element(tag, vr, value, value instanceof BulkData bd && bd.bigEndian()));
    }

    static Obj object(Node n, String what) throws DicomJsonException {
        if (n instanceof Obj o) {
            return o;
        }
        throw new DicomJsonException("expected an object for " + what, n.pos());
    }

    static Arr array(Node n, String what) throws DicomJsonException {
        if (n instanceof Arr a) {
            return a;
        }
        throw new DicomJsonException("expected an array for " + what, n.pos());
    }

    static String string(Node n, String what) throws DicomJsonException {
        if (n instanceof Str s) {
            return s.value();
        }
        throw new DicomJsonException("expected a string for " + what, n.pos());
    }
}
