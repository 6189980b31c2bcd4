package dev.steadfast.dicom.json;

import dev.steadfast.dicom.Bytes;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.value.Values;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Element values as the DICOMweb models (PS3.18 F JSON, PS3.19 XML) present them: shared by
 * {@link DicomJsonWriter} and the Native XML writer so both make the same decisions.
 */
public final class WebValues {
    private WebValues() {}

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern JSON_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    /** Integers beyond this magnitude lose precision as IEEE doubles (JavaScript's numbers). */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /**
     * The element as it is to be presented: a CP-246 sequence (UN holding items) becomes SQ,
     * and an explicit-VR UN element of a standard tag or a private creator takes its dictionary VR,
     * as pydicom's {@code replace_un_with_known_vr} does. A UN value whose dictionary VR is SQ
     * is parsed as implicit VR little endian items (CP-246); if that fails it stays UN.
     */
    public static Element effective(Element e, Dataset holder) {
        if (e.value() instanceof Sequence && e.vr() != VR.SQ) {
            return new Element(e.tag(), VR.SQ, e.value(), e.bigEndian());
        }
        if (e.vr() == VR.SQ && e.value() instanceof byte[] bytes) {
            Sequence s = unknownSequence(e.tag(), bytes, holder); // SQ given raw bytes: try them as items
            return s == null ? new Element(e.tag(), VR.UN, bytes, e.bigEndian()) : new Element(e.tag(), VR.SQ, s, false);
        }
        if (e.vr() != VR.UN || e.value() != null && !(e.value() instanceof byte[])
                || Tag.isPrivate(e.tag()) && !Tag.isPrivateCreator(e.tag())) {
            return e;
        }
        byte[] bytes = e.bytes();
        var entry = ElementDictionary.lookup(e.tag());
        VR vr = entry == null ? null : entry.vr();
        if (vr == null || vr == VR.UN) {
            return e;
        }
        if (entry.vrs().contains(VR.SS)) {
            vr = ElementDictionary.vrOf(e.tag(), holder); // "US or SS": signed when Pixel Representation is 1
        }
        if (vr == VR.SQ) {
            if (bytes == null) {
                return new Element(e.tag(), VR.SQ, null, false);
            }
            Sequence s = unknownSequence(e.tag(), bytes, holder);
            return s == null ? e : new Element(e.tag(), VR.SQ, s, false);
        }
        return new Element(e.tag(), vr, bytes, e.bigEndian());
    }

    /** Parses UN bytes as implicit VR LE items inside a scratch data set carrying the character set in force. */
    private static Sequence unknownSequence(int tag, byte[] bytes, Dataset holder) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(bytes.length + 64);
            for (Dataset d = holder; d != null; d = d.parent()) {
                Element cs = d.get(Tag.SpecificCharacterSet);
                if (cs != null && cs.bytes() != null) {
                    header(buf, Tag.SpecificCharacterSet, cs.bytes().length);
                    buf.write(cs.bytes());
                    break;
                }
            }
            header(buf, tag, bytes.length);
            buf.write(bytes);
            Dataset scratch = DicomReader.readDataset(new ByteArrayInputStream(buf.toByteArray()), UID.ImplicitVRLittleEndian);
            return scratch.getSequence(tag);
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    private static void header(ByteArrayOutputStream buf, int tag, int length) {
        byte[] h = new byte[8];
        Bytes.putUint16(h, 0, tag >>> 16, false);
        Bytes.putUint16(h, 2, tag, false);
        Bytes.putInt32(h, 4, length, false);
        buf.writeBytes(h);
    }

    /** An in-memory binary value in little endian, as InlineBinary requires. */
    public static byte[] littleEndian(Element e) {
        byte[] b = e.bytes();
        if (b == null || !e.bigEndian() || e.vr() == VR.UN) {
            return b;
        }
        return Bytes.swapped(b, e.vr().bytesPerNumber());
    }

    /** The values of a non-binary, non-sequence element as text; empty strings stand for empty values. */
    public static String[] strings(Element e, Dataset holder) {
        return Values.strings(e, holder.charset());
    }

    /**
     * DS or IS text as JSON number text: kept when it already is one, normalised when it is a
     * number in DICOM's looser syntax ({@code +5}, {@code .5}, {@code 007}), null when it is not a
     * number at all (the writers then keep the text as a string).
     */
    public static String numberText(String text, VR vr) {
        String t = text.strip();
        if (t.length() > 64) {
            return null; // longer than any DS/IS; not worth a BigDecimal
        }
        if (vr == VR.IS ? JSON_INTEGER.matcher(t).matches() : JSON_NUMBER.matcher(t).matches()) {
            return t;
        }
        try {
            BigDecimal d = new BigDecimal(t);
            if (vr == VR.IS) {
                return d.toBigIntegerExact().toString();
            }
            return d.toString();
        } catch (NumberFormatException | ArithmeticException ex) {
            return null;
        }
    }

    /** SV and UV (and other integer) values: a number, or decimal text beyond 2^53 - 1. */
    public static boolean safeInteger(long v, boolean unsigned) {
        if (unsigned) {
            return Long.compareUnsigned(v, MAX_SAFE_INTEGER) <= 0;
        }
        return v >= -MAX_SAFE_INTEGER && v <= MAX_SAFE_INTEGER;
    }

    public static String integerText(long v, boolean unsigned) {
        return unsigned ? Long.toUnsignedString(v) : Long.toString(v);
    }

    /** Float text that JSON accepts, or null for NaN and the infinities. */
    public static String floatText(double v, boolean single) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        String s = single ? Float.toString((float) v) : Double.toString(v);
        return JSON_NUMBER.matcher(s).matches() ? s : new BigDecimal(s).toString();
    }
}
