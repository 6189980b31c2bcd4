package dev.steadfast.dicom.value;

import dev.steadfast.dicom.Bytes;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.charset.SpecificCharacterSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decoding and encoding of element values, chosen by the VR's kind. */
public final class Values {
    private Values() {}

    private static final String[] NONE = new String[0];

    /** All values of a string-like or numeric element as text; numbers are printed plainly. */
    public static String[] strings(Element e, SpecificCharacterSet cs) {
        byte[] b = e.bytes();
        if (b == null || b.length == 0) {
            return NONE;
        }
        return switch (e.vr().kind()) {
            case STRING -> split(new String(b, StandardCharsets.ISO_8859_1), e.vr());
            case TEXT_MULTI -> split(cs.decode(b, 0, b.length, SpecificCharacterSet.Mode.MULTI_VALUE), e.vr());
            case PERSON_NAME -> split(cs.decode(b, 0, b.length, SpecificCharacterSet.Mode.PERSON_NAME), e.vr());
            case TEXT -> new String[] {stripTrailing(cs.decode(b, 0, b.length, SpecificCharacterSet.Mode.TEXT), e.vr())};
            case INT16, UINT16, INT32, UINT32, INT64, UINT64, TAG -> longsAsText(e);
            case FLOAT32, FLOAT64 -> doublesAsText(e);
            default -> NONE;
        };
    }

    private static String[] split(String s, VR vr) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '\\') {
                out.add(trim(s.substring(start, i), vr));
                start = i + 1;
            }
        }
        return out.toArray(NONE);
    }

    private static String trim(String v, VR vr) {
        return switch (vr) {
            // Leading spaces are insignificant for these as well (PS3.5 6.2).
            case AE, CS, DS, IS, DA, TM, DT, AS, LO, SH, PN, UC -> stripTrailing(v, vr).stripLeading();
            default -> stripTrailing(v, vr);
        };
    }

    private static String stripTrailing(String v, VR vr) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\0')) {
            end--;
        }
        return v.substring(0, end);
    }

    private static String[] longsAsText(Element e) {
        long[] v = longs(e);
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = e.vr() == VR.UV ? Long.toUnsignedString(v[i])
                    : e.vr() == VR.AT ? String.format("%08X", v[i]) : Long.toString(v[i]);
        }
        return out;
    }

    private static String[] doublesAsText(Element e) {
        double[] v = doubles(e);
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = e.vr() == VR.FL ? Float.toString((float) v[i]) : Double.toString(v[i]);
        }
        return out;
    }

    /** Binary integer values (US, SS, UL, SL, SV, UV, AT; also OW/OL/OV) as longs. */
    public static long[] longs(Element e) {
        byte[] b = e.bytes();
        if (b == null) {
            return new long[0];
        }
        boolean be = e.bigEndian();
        VR vr = e.vr();
        int w = switch (vr) {
            case US, SS, OW -> 2;
            case UL, SL, OL -> 4;
            case SV, UV, OV -> 8;
            case AT -> 4;
            default -> throw new IllegalStateException(vr + " is not a binary integer VR");
        };
        long[] out = new long[b.length / w];
        for (int i = 0; i < out.length; i++) {
            int off = i * w;
            out[i] = switch (vr) {
                case US, OW -> Bytes.uint16(b, off, be);
                case SS -> (short) Bytes.uint16(b, off, be);
                case UL, OL -> Bytes.int32(b, off, be) & 0xFFFFFFFFL;
                case SL -> Bytes.int32(b, off, be);
                case AT -> ((long) Bytes.uint16(b, off, be) << 16) | Bytes.uint16(b, off + 2, be);
                default -> Bytes.int64(b, off, be);
            };
        }
        return out;
    }

    /** FL, FD (and OF, OD) values as doubles. */
    public static double[] doubles(Element e) {
        byte[] b = e.bytes();
        if (b == null) {
            return new double[0];
        }
        boolean be = e.bigEndian();
        boolean single = e.vr() == VR.FL || e.vr() == VR.OF;
        int w = single ? 4 : 8;
        double[] out = new double[b.length / w];
        for (int i = 0; i < out.length; i++) {
            out[i] = single ? Float.intBitsToFloat(Bytes.int32(b, i * w, be))
                    : Double.longBitsToDouble(Bytes.int64(b, i * w, be));
        }
        return out;
    }

    /** Encodes text values of a string VR, padded to even length with the VR's padding byte. */
    public static byte[] encodeStrings(VR vr, SpecificCharacterSet cs, String... values) {
        String joined = String.join("\\", values);
        byte[] raw = switch (vr.kind()) {
            case TEXT -> cs.encode(joined, SpecificCharacterSet.Mode.TEXT);
            case TEXT_MULTI -> cs.encode(joined, SpecificCharacterSet.Mode.MULTI_VALUE);
            case PERSON_NAME -> cs.encode(joined, SpecificCharacterSet.Mode.PERSON_NAME);
            case STRING -> joined.getBytes(StandardCharsets.ISO_8859_1);
            default -> throw new IllegalArgumentException(vr + " is not a string VR");
        };
        return padded(raw, vr);
    }

    public static byte[] padded(byte[] raw, VR vr) {
        if (raw.length % 2 == 0) {
            return raw;
        }
        byte[] out = new byte[raw.length + 1];
        System.arraycopy(raw, 0, out, 0, raw.length);
        out[raw.length] = (byte) vr.paddingByte();
        return out;
    }

    /** Encodes integers for US, SS, UL, SL, SV, UV, AT, OW, OL, OV in little endian; IS as text. */
    public static byte[] encodeLongs(VR vr, long... values) {
        if (vr == VR.IS || vr == VR.DS) {
            String[] s = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                s[i] = Long.toString(values[i]);
            }
            return encodeStrings(vr, SpecificCharacterSet.DEFAULT, s);
        }
        int w = vr == VR.AT ? 4 : vr.bytesPerNumber();
        byte[] out = new byte[values.length * w];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            switch (w) {
                case 2 -> Bytes.putUint16(out, i * 2, (int) v, false);
                case 4 -> {
                    if (vr == VR.AT) {
                        Bytes.putUint16(out, i * 4, (int) (v >>> 16), false);
                        Bytes.putUint16(out, i * 4 + 2, (int) v, false);
                    } else {
                        Bytes.putInt32(out, i * 4, (int) v, false);
                    }
                }
                case 8 -> Bytes.putInt64(out, i * 8, v, false);
                default -> throw new IllegalArgumentException(vr + " is not a binary integer VR");
            }
        }
        return out;
    }

    /** Encodes FL, FD, OF, OD in little endian; DS as text. */
    public static byte[] encodeDoubles(VR vr, double... values) {
        if (vr == VR.DS) {
            String[] s = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                s[i] = formatDS(values[i]);
            }
            return encodeStrings(vr, SpecificCharacterSet.DEFAULT, s);
        }
        boolean single = vr == VR.FL || vr == VR.OF;
        if (!single && vr != VR.FD && vr != VR.OD) {
            throw new IllegalArgumentException(vr + " is not a floating point VR");
        }
        byte[] out = new byte[values.length * (single ? 4 : 8)];
        for (int i = 0; i < values.length; i++) {
            if (single) {
                Bytes.putInt32(out, i * 4, Float.floatToRawIntBits((float) values[i]), false);
            } else {
                Bytes.putInt64(out, i * 8, Double.doubleToRawLongBits(values[i]), false);
            }
        }
        return out;
    }

    /** DS allows at most 16 characters. */
    static String formatDS(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        if (s.length() <= 16) {
            return s;
        }
        for (int digits = 15; digits > 0; digits--) {
            s = String.format("%." + digits + "G", v).replace("+", "");
            if (s.length() <= 16) {
                return s;
            }
        }
        return s;
    }
}
