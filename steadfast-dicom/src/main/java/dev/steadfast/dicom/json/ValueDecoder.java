package dev.steadfast.dicom.json;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.json.JsonParser.Arr;
import dev.steadfast.dicom.json.JsonParser.Lit;
import dev.steadfast.dicom.json.JsonParser.Node;
import dev.steadfast.dicom.json.JsonParser.Num;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.dicom.json.JsonParser.Str;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/** Turns the "Value" array of a non-sequence attribute into the element's encoded value. */
final class ValueDecoder {
    private ValueDecoder() {}

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final List<String> PN_GROUPS = List.of("Alphabetic", "Ideographic", "Phonetic");

    static void put(Dataset ds, int tag, VR vr, Arr arr) throws DicomJsonException {
        List<Node> items = arr.items();
        String where = Tag.toString(tag);
        switch (vr.kind()) {
            case BINARY -> throw new DicomJsonException(vr + " values are InlineBinary or BulkDataURI, not Value",
                    arr.pos());
            case INT16, UINT16, INT32, UINT32, INT64, UINT64 -> {
                long[] v = new long[items.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = integer(items.get(i), vr, where);
                }
                ds.setLong(tag, vr, v);
            }
            case FLOAT32, FLOAT64 -> {
                double[] v = new double[items.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = floating(items.get(i), vr, where);
                }
                ds.setDouble(tag, vr, v);
            }
            case TAG -> {
                long[] v = new long[items.size()];
                for (int i = 0; i < v.length; i++) {
                    String s = DicomJsonReader.string(items.get(i), "an AT value of " + where);
                    if (s.length() != 8 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                        throw new DicomJsonException("AT value \"" + s + "\" of " + where + " is not 8 hex digits",
                                items.get(i).pos());
                    }
                    v[i] = Long.parseLong(s, 16);
                }
                ds.setLong(tag, vr, v);
            }
            case PERSON_NAME -> {
                String[] v = new String[items.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = personName(items.get(i), where);
                }
                ds.setString(tag, vr, v);
            }
            default -> ds.setString(tag, vr, strings(items, vr, where));
        }
    }

    private static String[] strings(List<Node> items, VR vr, String where) throws DicomJsonException {
        if (vr.kind() == VR.Kind.TEXT && items.size() > 1) {
            throw new DicomJsonException(vr + " holds a single value, " + where + " has " + items.size(),
                    items.get(1).pos());
        }
        String[] v = new String[items.size()];
        for (int i = 0; i < v.length; i++) {
            Node n = items.get(i);
            if (n instanceof Lit l && l.value() == null) {
                v[i] = "";
            } else if ((vr == VR.DS || vr == VR.IS) && n instanceof Num num) {
                v[i] = decimal(num, vr, where);
            } else if (n instanceof Str s) {
                v[i] = s.value();
                if (vr.kind() != VR.Kind.TEXT && v[i].indexOf('\\') >= 0) {
                    throw new DicomJsonException("value of " + where + " contains a backslash, the DICOM value separator",
                            n.pos());
                }
            } else {
                throw new DicomJsonException("expected a " + (vr == VR.DS || vr == VR.IS ? "number" : "string")
                        + " or null in " + where, n.pos());
            }
        }
        return v;
    }

    /** IS must be an integer; DS keeps its text, rounded only where it would exceed 16 characters. */
    private static String decimal(Num num, VR vr, String where) throws DicomJsonException {
        String t = num.text();
        BigDecimal d = new BigDecimal(t);
        if (vr == VR.IS) {
            if (d.precision() - d.scale() > 19 || d.stripTrailingZeros().scale() > 0) {
                throw new DicomJsonException("IS value " + t + " of " + where + " is not an integer",
                        num.pos());
            }
            return t.matches("-?[0-9]+") ? t : d.toBigIntegerExact().toString();
        }
        for (int p = 16; t.length() > 16 && p > 0; p--) {
            t = d.round(new MathContext(p)).toString();
        }
        return t;
    }

    private static long integer(Node n, VR vr, String where) throws DicomJsonException {
        BigDecimal d;
        if (n instanceof Num num) {
            d = new BigDecimal(num.text());
        } else if (n instanceof Str s && (vr == VR.SV || vr == VR.UV) && s.value().matches("-?[0-9]{1,20}")) {
            d = new BigDecimal(s.value());
        } else {
            throw new DicomJsonException("expected an integer for " + vr + " in " + where, n.pos());
        }
        // The digit count check comes first: 1e999999999 must not become a BigInteger.
        if (d.precision() - d.scale() > 20 || d.stripTrailingZeros().scale() > 0) {
            throw new DicomJsonException("not an integer in the range of " + vr + " in " + where, n.pos());
        }
        BigInteger v = d.toBigIntegerExact();
        BigInteger[] range = switch (vr) {
            case US -> range(0, 0xFFFF);
            case SS -> range(Short.MIN_VALUE, Short.MAX_VALUE);
            case UL -> range(0, 0xFFFF_FFFFL);
            case SL -> range(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case SV -> range(Long.MIN_VALUE, Long.MAX_VALUE);
            default -> new BigInteger[] {BigInteger.ZERO, TWO_64.subtract(BigInteger.ONE)};
        };
        if (v.compareTo(range[0]) < 0 || v.compareTo(range[1]) > 0) {
            throw new DicomJsonException(v + " is out of the range of " + vr + " in " + where, n.pos());
        }
        return v.longValue(); // UV above Long.MAX_VALUE keeps its bits
    }

    private static BigInteger[] range(long min, long max) {
        return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }

    private static double floating(Node n, VR vr, String where) throws DicomJsonException {
        if (n instanceof Num num) {
            return Double.parseDouble(num.text());
        }
        if (n instanceof Str s) {
            switch (s.value()) {
                case "NaN" -> { return Double.NaN; }
                case "Infinity" -> { return Double.POSITIVE_INFINITY; }
                case "-Infinity" -> { return Double.NEGATIVE_INFINITY; }
                default -> { }
            }
        }
        throw new DicomJsonException("expected a number for " + vr + " in " + where, n.pos());
    }

    private static String personName(Node n, String where) throws DicomJsonException {
        if (n instanceof Lit l && l.value() == null) {
            return "";
        }
        Obj o = DicomJsonReader.object(n, "a PN value of " + where);
        String[] groups = new String[3];
        int last = 0;
        for (Map.Entry<String, Node> m : o.members().entrySet()) {
            if (!PN_GROUPS.contains(m.getKey())) {
                throw new DicomJsonException("unknown PN component group \"" + m.getKey() + "\" in " + where,
                        m.getValue().pos());
            }
        }
        for (int i = 0; i < 3; i++) {
            Node g = o.members().get(PN_GROUPS.get(i));
            groups[i] = g == null ? "" : DicomJsonReader.string(g, PN_GROUPS.get(i) + " of " + where);
            if (groups[i].indexOf('=') >= 0 || groups[i].indexOf('\\') >= 0) {
                throw new DicomJsonException("PN group contains '=' or '\\' in " + where, g.pos());
            }
            if (!groups[i].isEmpty()) {
                last = i + 1;
            }
        }
        return String.join("=", java.util.Arrays.copyOf(groups, Math.max(last, 1)));
    }
}
