package dev.steadfast.dicom.json;

import dev.steadfast.dicom.json.JsonParser.Arr;
import dev.steadfast.dicom.json.JsonParser.Lit;
import dev.steadfast.dicom.json.JsonParser.Node;
import dev.steadfast.dicom.json.JsonParser.Num;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.dicom.json.JsonParser.Str;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares our JSON with pydicom's, attribute by attribute, normalising what the oracle's
 * README says differs by construction: binary values over 1024 bytes are
 * {@code omitted:bytes=N} there (ours carry {@code test:bytes=N}, see the test's URIs), numbers
 * compare numerically, null equals "" and PN groups that are empty are ignored.
 */
final class OracleComparison {

    /** One attribute that differs: where, and both sides as text. */
    record Mismatch(String path, String vr, String what, Node ours, Node theirs) {
        @Override
        public String toString() {
            return path + " " + vr + ": " + what + " ours=" + Nodes.text(ours) + " pydicom=" + Nodes.text(theirs);
        }
    }

    private final List<Mismatch> out = new ArrayList<>();

    static List<Mismatch> compare(Obj ours, Obj theirs) {
        OracleComparison c = new OracleComparison();
        c.dataset("", ours, theirs);
        return c.out;
    }

    private void dataset(String prefix, Obj ours, Obj theirs) {
        TreeSet<String> keys = new TreeSet<>(ours.members().keySet());
        keys.addAll(theirs.members().keySet());
        for (String k : keys) {
            Node o = ours.members().get(k);
            Node t = theirs.members().get(k);
            String path = prefix + k;
            if (o == null || t == null) {
                out.add(new Mismatch(path, vr(o != null ? o : t), o == null ? "missing in ours" : "missing in pydicom", o, t));
                continue;
            }
            attribute(path, (Obj) o, (Obj) t);
        }
    }

    private static String vr(Node attr) {
        return attr instanceof Obj o && o.members().get("vr") instanceof Str s ? s.value() : "?";
    }

    private void attribute(String path, Obj ours, Obj theirs) {
        String vr = vr(ours);
        if (!vr.equals(vr(theirs))) {
            out.add(new Mismatch(path, vr, "vr differs", ours, theirs));
            return;
        }
        Node ov = content(ours);
        Node tv = content(theirs);
        if (ov == null && tv == null) {
            return;
        }
        if (ov == null || tv == null || !sameKind(ours, theirs)) {
            if (!(isEmptyValue(ov) && isEmptyValue(tv))) {
                out.add(new Mismatch(path, vr, "value form differs", ours, theirs));
            }
            return;
        }
        if (ours.members().containsKey("InlineBinary")) {
            if (!Objects.equals(bytes(ov), bytes(tv)) && !java.util.Arrays.equals(decode(ov), decode(tv))) {
                out.add(new Mismatch(path, vr, "binary differs", ours, theirs));
            }
            return;
        }
        if (ours.members().containsKey("BulkDataURI")) {
            String n = ((Str) ov).value().replace("test:bytes=", "");
            String m = ((Str) tv).value().replace("omitted:bytes=", "");
            if (!n.equals(m)) {
                out.add(new Mismatch(path, vr, "bulk length differs", ours, theirs));
            }
            return;
        }
        List<Node> oi = ((Arr) ov).items();
        List<Node> ti = ((Arr) tv).items();
        if (oi.size() != ti.size()) {
            out.add(new Mismatch(path, vr, "value count differs", ours, theirs));
            return;
        }
        for (int i = 0; i < oi.size(); i++) {
            if (vr.equals("SQ")) {
                dataset(path + "/" + i + "/", (Obj) oi.get(i), (Obj) ti.get(i));
            } else if (!sameValue(vr, oi.get(i), ti.get(i))) {
                out.add(new Mismatch(path, vr, "value " + i + " differs", ours, theirs));
                return;
            }
        }
    }

    private static boolean isEmptyValue(Node v) {
        return v == null || v instanceof Arr a && a.items().stream().allMatch(OracleComparison::isBlank);
    }

    private static Node content(Obj attr) {
        for (String k : List.of("Value", "InlineBinary", "BulkDataURI")) {
            if (attr.members().containsKey(k)) {
                return attr.members().get(k);
            }
        }
        return null;
    }

    private static boolean sameKind(Obj a, Obj b) {
        for (String k : List.of("Value", "InlineBinary", "BulkDataURI")) {
            if (a.members().containsKey(k) != b.members().containsKey(k)) {
                return false;
            }
        }
        return true;
    }

    private static String bytes(Node n) {
        return n instanceof Str s ? s.value() : null;
    }

    private static byte[] decode(Node n) {
        try {
            return Base64.getDecoder().decode(((Str) n).value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isBlank(Node n) {
        return n instanceof Lit l && l.value() == null || n instanceof Str s && s.value().isEmpty();
    }

    static boolean sameValue(String vr, Node a, Node b) {
        if (isBlank(a) && isBlank(b)) {
            return true;
        }
        if (a instanceof Num x && b instanceof Num y) {
            if (vr.equals("FL")) {
                return Float.parseFloat(x.text()) == Float.parseFloat(y.text());
            }
            return new BigDecimal(x.text()).compareTo(new BigDecimal(y.text())) == 0
                    || Double.parseDouble(x.text()) == Double.parseDouble(y.text());
        }
        if (a instanceof Obj x && b instanceof Obj y) {
            return personName(x).equals(personName(y));
        }
        if (vr.equals("PN") && (isBlank(a) || isBlank(b))) {
            Node other = isBlank(a) ? b : a;
            return other instanceof Obj o && personName(o).isEmpty();
        }
        if (a instanceof Str x && b instanceof Str y) {
            return x.value().equals(y.value());
        }
        return false;
    }

    private static Map<String, String> personName(Obj o) {
        Map<String, String> m = new java.util.TreeMap<>();
        o.members().forEach((k, v) -> {
            if (v instanceof Str s && !s.value().isEmpty()) {
                m.put(k, s.value());
            }
        });
        return m;
    }
}
