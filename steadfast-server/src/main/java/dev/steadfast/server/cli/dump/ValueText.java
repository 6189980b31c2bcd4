package dev.steadfast.server.cli.dump;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.charset.SpecificCharacterSet;
import dev.steadfast.dicom.value.Values;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns one non-sequence element into display values, the way dcmdump shows them. */
final class ValueText {
    private ValueText() {}

    /** Values and how to print them; {@code note} replaces values for empty and not-loaded elements. */
    record Rendered(List<String> values, boolean quoted, String note, int vm) {}

    /**
     * @param maxBinaryBytes how many bytes of a binary value to show in hex (the rest is elided
     *                       with "..."): a 100 MB inflated pixel data need not become text
     */
    static Rendered of(Element e, Dataset owner, long maxBinaryBytes) {
        return switch (e.value()) {
            case null -> empty(e.vr());
            case BulkData bd -> bd.length() == 0 ? empty(e.vr()) : new Rendered(List.of(), false, DumpLine.NOT_LOADED, 1);
            case byte[] b when b.length == 0 -> empty(e.vr());
            case byte[] b -> loaded(e, b, owner, maxBinaryBytes);
            default -> throw new IllegalArgumentException("not a plain value: " + e);
        };
    }

    /** Binary VRs have VM 1 by definition (PS3.5 6.4), even when empty; dcmdump agrees. */
    private static Rendered empty(VR vr) {
        return new Rendered(List.of(), false, DumpLine.NO_VALUE, vr.kind() == VR.Kind.BINARY ? 1 : 0);
    }

    private static Rendered loaded(Element e, byte[] b, Dataset owner, long maxBinaryBytes) {
        VR vr = e.vr();
        return switch (vr.kind()) {
            case STRING, TEXT_MULTI, TEXT, PERSON_NAME -> {
                List<String> v = Arrays.asList(owner.getStrings(e.tag()));
                yield new Rendered(v, true, null, v.size());
            }
            case INT16, UINT16, INT32, UINT32, INT64, UINT64 -> counted(Arrays.asList(Values.strings(e, SpecificCharacterSet.DEFAULT)));
            case FLOAT32, FLOAT64 -> counted(Arrays.stream(Values.doubles(e)).mapToObj(d -> number(d, vr)).toList());
            case TAG -> counted(Arrays.stream(Values.longs(e)).mapToObj(ValueText::tag).toList());
            case BINARY -> new Rendered(List.of(hex(e, b, maxBinaryBytes)), false, null, 1);
            case SEQUENCE -> throw new IllegalArgumentException("SQ element with a byte value: " + e);
        };
    }

    private static Rendered counted(List<String> values) {
        return new Rendered(values, false, null, values.size());
    }

    /** Integral values without a fraction ("1", not "1.0"), others as Java prints them. */
    static String number(double d, VR vr) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return vr == VR.FL || vr == VR.OF ? Float.toString((float) d) : Double.toString(d);
    }

    private static String tag(long at) {
        return String.format("(%04x,%04x)", (at >>> 16) & 0xFFFF, at & 0xFFFF);
    }

    /** OB and UN as bytes, OW/OL/OV as words in the value's byte order, OF/OD as numbers. */
    private static String hex(Element e, byte[] b, long maxBytes) {
        VR vr = e.vr();
        if (vr == VR.OF || vr == VR.OD) {
            int width = vr == VR.OF ? 4 : 8;
            int n = (int) Math.min(b.length, roundDown(maxBytes, width));
            byte[] head = n == b.length ? b : Arrays.copyOf(b, n);
            List<String> parts = new ArrayList<>();
            for (double d : Values.doubles(new Element(e.tag(), vr, head, e.bigEndian()))) {
                parts.add(number(d, vr));
            }
            return String.join("\\", parts) + (n < b.length ? "..." : "");
        }
        int width = vr.bytesPerNumber();
        int n = (int) Math.min(b.length - b.length % width, roundDown(maxBytes, width));
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i += width) {
            if (i > 0) {
                sb.append('\\');
            }
            for (int j = 0; j < width; j++) {
                int k = e.bigEndian() || width == 1 ? i + j : i + width - 1 - j;
                sb.append(Character.forDigit((b[k] >> 4) & 0xF, 16)).append(Character.forDigit(b[k] & 0xF, 16));
            }
        }
        return n < b.length ? sb.append("...").toString() : sb.toString();
    }

    private static long roundDown(long n, int width) {
        return Math.max(width, n - n % width);
    }
}
