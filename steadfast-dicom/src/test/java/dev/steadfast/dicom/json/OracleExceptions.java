package dev.steadfast.dicom.json;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.json.JsonParser.Node;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.dicom.json.JsonParser.Str;
import dev.steadfast.dicom.json.OracleComparison.Mismatch;
import dev.steadfast.testing.Corpus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented, named reasons our JSON may differ from pydicom 2.3.1's. Each rule checks
 * that the difference is only what it names (values are re-decoded and compared), so a rule
 * cannot hide a real bug in the same attribute. Character set decoding has no rule of its own
 * except a pydicom bug with ISO 2022 IR 58.
 */
final class OracleExceptions {
    private OracleExceptions() {}

    /** A named exception: why it is expected, and whether it explains one mismatch. */
    record Rule(String name, String reason, Check check) {}

    interface Check {
        boolean explains(Corpus.Entry entry, DicomFile df, Mismatch m);
    }

    static final List<Rule> RULES = List.of(
            new Rule("PYDICOM_PRIVATE_DICTIONARY",
                    "pydicom types private elements (implicit VR, or explicit UN) from its private dictionary; "
                            + "ElementDictionary deliberately has none, so ours stay UN. Checked: our bytes decoded "
                            + "as pydicom's VR give pydicom's value",
                    (entry, df, m) -> m.what().equals("vr differs") && m.vr().equals("UN")
                            && isPrivate(m) && decodesAs(entry, df, m)),
            new Rule("PRIVATE_GROUP_LENGTH",
                    "a private group length (gggg,0000) is UL by PS3.5 7.2 for every group; pydicom's private "
                            + "lookup does not know it and gives UN. Checked: same 4 bytes",
                    (entry, df, m) -> m.what().equals("vr differs") && m.vr().equals("UL")
                            && isPrivate(m) && (lastTag(m) & 0xFFFF) == 0 && decodesAs(entry, df, m)),
            new Rule("PYDICOM_UNRESOLVED_AMBIGUOUS_VR",
                    "pydicom leaves a dictionary VR such as 'OB or OW' unresolved in some implicit VR contexts; "
                            + "checked: same value",
                    (entry, df, m) -> m.what().equals("vr differs") && vrOf(m.theirs()).contains(" or ")
                            && vrOf(m.theirs()).contains(m.vr()) && sameContent(m)),
            new Rule("CS_IN_SQ_TAG",
                    "the file stores CS text in (0040,A170), an SQ tag: our reader keeps the bytes as UN, "
                            + "pydicom invents a sequence with an empty item",
                    (entry, df, m) -> entry.name().equals("sr/dcm4che__Tag-0040-A170-VR-CS.dcm")
                            && lastTag(m) == 0x0040A170 && m.vr().equals("UN") && vrOf(m.theirs()).equals("SQ")),
            new Rule("UNTERMINATED_PIXEL_DATA",
                    "encapsulated Pixel Data without its sequence delimiter: our reader repairs it, "
                            + "pydicom drops the element",
                    (entry, df, m) -> entry.name().equals("mr/fo-dicom__GH1339.dcm")
                            && m.path().equals("7FE00010") && m.what().equals("missing in pydicom")),
            new Rule("PYDICOM_IR58_ESCAPES",
                    "pydicom 2.3 decodes ISO 2022 IR 58 with Python's gb2312 codec, which leaves the ESC $ ) A "
                            + "designations in the text (as fo-dicom#1805); ours remove them, as PS3.5 6.1.2.5 says",
                    (entry, df, m) -> m.what().startsWith("value") && Nodes.canonical(m.theirs()).contains("\u001b$)A")
                            && Nodes.canonical(m.ours()).equals(Nodes.canonical(m.theirs()).replace("\u001b$)A", ""))));

    /** The mismatches no rule explains; counts the use of each rule in {@code used}. */
    static List<Mismatch> unexplained(Corpus.Entry entry, DicomFile df, List<Mismatch> mismatches,
                                      Map<String, Integer> used) {
        return mismatches.stream().filter(m -> {
            for (Rule r : RULES) {
                if (r.check().explains(entry, df, m)) {
                    used.merge(r.name(), 1, Integer::sum);
                    return false;
                }
            }
            return true;
        }).toList();
    }

    static List<Mismatch> unexplained(Corpus.Entry entry, DicomFile df, List<Mismatch> mismatches) {
        return unexplained(entry, df, mismatches, new LinkedHashMap<>());
    }

    private static int lastTag(Mismatch m) {
        String p = m.path();
        return Integer.parseUnsignedInt(p.substring(p.length() - 8), 16);
    }

    private static boolean isPrivate(Mismatch m) {
        return Tag.isPrivate(lastTag(m));
    }

    private static String vrOf(Node attr) {
        return attr instanceof Obj o && o.members().get("vr") instanceof Str s ? s.value() : "";
    }

    private static boolean sameContent(Mismatch m) {
        Obj a = (Obj) m.ours();
        Obj b = (Obj) m.theirs();
        return Nodes.canonical(without(a)).equals(Nodes.canonical(without(b)));
    }

    private static Obj without(Obj attr) {
        Map<String, Node> copy = new LinkedHashMap<>(attr.members());
        copy.remove("vr");
        return new Obj(copy, attr.pos());
    }

    /**
     * Our element (found in the model by the mismatch's path), re-typed as pydicom's VR and
     * written again, gives pydicom's attribute.
     */
    private static boolean decodesAs(Corpus.Entry entry, DicomFile df, Mismatch m) {
        VR vr;
        try {
            vr = VR.valueOf(vrOf(m.theirs()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        Element raw = find(df.dataset(), m.path());
        if (raw == null || raw.value() != null && !(raw.value() instanceof byte[])) {
            return false;
        }
        byte[] bytes = raw.bytes();
        if (vr == VR.SQ && bytes != null && Arrays.equals(bytes, LONE_DELIMITER)) {
            return Nodes.canonical(((Obj) m.theirs()).members().get("Value")).equals("[]");
        }
        Dataset probe = new Dataset();
        Element cs = df.dataset().get(Tag.SpecificCharacterSet);
        if (cs != null) {
            probe.put(cs);
        }
        if (vr == VR.SQ && bytes != null) {
            // Parse the items as CP-246 says, under a standard SQ tag (ours has no private dictionary),
            // without the stray trailing delimiter some Philips writers put in explicit-length values.
            byte[] items = endsWith(bytes, LONE_DELIMITER) ? Arrays.copyOf(bytes, bytes.length - 8) : bytes;
            Element seq = WebValues.effective(new Element(Tag.ContentSequence, VR.UN, items, false), df.dataset());
            if (seq.vr() != VR.SQ) {
                return false;
            }
            probe.put(new Element(raw.tag(), VR.SQ, seq.value(), false));
        } else {
            probe.put(new Element(raw.tag(), vr, bytes, raw.bigEndian()));
        }
        String json = DicomJsonWriter.toJson(probe, JsonOptions.DEFAULT.withUris(CorpusJsonOracleTest.LENGTHS));
        String key = String.format("%08X", raw.tag());
        Node decoded = ((Obj) Nodes.parse(json)).members().get(key);
        var inner = OracleComparison.compare(new Obj(Map.of(key, decoded), 0), new Obj(Map.of(key, m.theirs()), 0));
        // Items of a private sequence hold private elements of their own: the same rules apply.
        return unexplained(entry, new DicomFile(df.meta(), df.transferSyntaxUid(), probe), inner).isEmpty();
    }

    /** An "empty" sequence some writers encode as an explicit-length value holding only a delimiter. */
    private static final byte[] LONE_DELIMITER = {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};

    private static boolean endsWith(byte[] b, byte[] suffix) {
        return b.length >= suffix.length
                && Arrays.equals(b, b.length - suffix.length, b.length, suffix, 0, suffix.length);
    }

    /** The element at a mismatch path such as {@code 00081111/0/20051006}. */
    static Element find(Dataset ds, String path) {
        String[] steps = path.split("/");
        for (int i = 0; i < steps.length - 1; i += 2) {
            var seq = ds.getSequence(Integer.parseUnsignedInt(steps[i], 16));
            if (seq == null) {
                return null;
            }
            ds = seq.get(Integer.parseInt(steps[i + 1]));
        }
        return ds.get(Integer.parseUnsignedInt(steps[steps.length - 1], 16));
    }
}
