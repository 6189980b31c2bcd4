package dev.steadfast.dicom;

import dev.steadfast.dicom.charset.SpecificCharacterSet;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.dicom.value.DicomDates;
import dev.steadfast.dicom.value.PersonName;
import dev.steadfast.dicom.value.Values;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A DICOM data set: elements kept in tag order as sorted {@code int} tags beside their raw
 * values, decoded only when asked for. Items of a sequence are data sets whose parent is
 * the data set holding the sequence, from which they inherit the Specific Character Set.
 */
public final class Dataset implements Iterable<Element> {
    private int[] tags = new int[16];
    private Element[] elements = new Element[16];
    private int size;
    private final Dataset parent;
    private boolean undefinedLength = true;
    private SpecificCharacterSet charset;

    public Dataset() {
        this(null);
    }

    Dataset(Dataset parent) {
        this.parent = parent;
    }

    /** The data set holding the sequence this item belongs to, or null at top level. */
    public Dataset parent() { return parent; }

    /** For items: whether the item was (or is to be) encoded with undefined length. */
    public boolean undefinedLength() { return undefinedLength; }

    public void setUndefinedLength(boolean undefinedLength) { this.undefinedLength = undefinedLength; }

    public int size() { return size; }

    public boolean isEmpty() { return size == 0; }

    private int indexOf(int tag) {
        // Tags compare as unsigned: (FFFE,E000) sorts after (7FE0,0010).
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public boolean contains(int tag) { return indexOf(tag) >= 0; }

    public Element get(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? elements[i] : null;
    }

    /** Adds or replaces an element. Appending in tag order (what a reader does) is O(1). */
    public Element put(Element e) {
        if (e.tag() == Tag.SpecificCharacterSet) {
            charset = null;
        }
        int tag = e.tag();
        if (size > 0 && Integer.compareUnsigned(tags[size - 1], tag) < 0) {
            insertAt(size, e);
            return null;
        }
        int i = indexOf(tag);
        if (i >= 0) {
            Element old = elements[i];
            elements[i] = e;
            return old;
        }
        insertAt(-i - 1, e);
        return null;
    }

    private void insertAt(int pos, Element e) {
        if (size == tags.length) {
            tags = Arrays.copyOf(tags, size * 2);
            elements = Arrays.copyOf(elements, size * 2);
        }
        System.arraycopy(tags, pos, tags, pos + 1, size - pos);
        System.arraycopy(elements, pos, elements, pos + 1, size - pos);
        tags[pos] = e.tag();
        elements[pos] = e;
        size++;
    }

    public Element remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        Element old = elements[i];
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(elements, i + 1, elements, i, size - i - 1);
        elements[--size] = null;
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return old;
    }

    /** The tags in order (a copy). */
    public int[] tags() { return Arrays.copyOf(tags, size); }

    @Override
    public Iterator<Element> iterator() {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() { return i < size; }

            @Override
            public Element next() {
                if (i >= size) {
                    throw new NoSuchElementException();
                }
                return elements[i++];
            }
        };
    }

    /** The character set in force here: this data set's (0008,0005), else the enclosing one's, else the default. */
    public SpecificCharacterSet charset() {
        if (charset == null) {
            Element e = get(Tag.SpecificCharacterSet);
            if (e != null) {
                charset = SpecificCharacterSet.of(Values.strings(e, SpecificCharacterSet.DEFAULT));
            } else {
                charset = parent != null ? parent.charset() : SpecificCharacterSet.DEFAULT;
            }
        }
        return charset;
    }

    // ---- typed reading ----

    /**
     * The element as its dictionary VR when it was read as UN (an implicit-VR writer's private
     * reading, or explicit UN for a standard tag): pydicom and dcmtk decode those too, and an
     * archive must find the UIDs in them.
     */
    private Element typed(int tag) {
        Element e = get(tag);
        if (e == null || e.vr() != VR.UN || !(e.value() instanceof byte[] bytes) || Tag.isPrivate(tag)) {
            return e;
        }
        VR known = ElementDictionary.vrOf(tag, this); // US or SS by Pixel Representation
        return known == VR.UN || known == VR.SQ || known == null ? e : new Element(tag, known, bytes, e.bigEndian());
    }

    /** All values as text (decoded with the Specific Character Set), empty if absent or empty. */
    public String[] getStrings(int tag) {
        Element e = typed(tag);
        return e == null ? new String[0] : Values.strings(e, charset());
    }

    /** The first value as text, or null if absent or empty. */
    public String getString(int tag) {
        String[] v = getStrings(tag);
        return v.length == 0 ? null : v[0];
    }

    public String getString(int tag, String defaultValue) {
        String v = getString(tag);
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    /** Integer values of binary integer VRs and of IS/DS text; an unparseable text value throws NumberFormatException. */
    public long[] getLongs(int tag) {
        Element e = typed(tag);
        if (e == null) {
            return new long[0];
        }
        if (e.vr() == VR.IS || e.vr() == VR.DS) {
            String[] s = Values.strings(e, SpecificCharacterSet.DEFAULT);
            long[] out = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = e.vr() == VR.IS ? Long.parseLong(s[i]) : (long) Double.parseDouble(s[i]);
            }
            return out;
        }
        return switch (e.vr().kind()) {
            case INT16, UINT16, INT32, UINT32, INT64, UINT64, TAG -> Values.longs(e);
            case FLOAT32, FLOAT64 -> Arrays.stream(Values.doubles(e)).mapToLong(d -> (long) d).toArray();
            default -> e.vr() == VR.OW || e.vr() == VR.OL || e.vr() == VR.OV ? Values.longs(e) : new long[0];
        };
    }

    public int[] getInts(int tag) {
        long[] l = getLongs(tag);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    public int getInt(int tag, int defaultValue) {
        try {
            long[] v = getLongs(tag);
            return v.length == 0 ? defaultValue : (int) v[0];
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    public double[] getDoubles(int tag) {
        Element e = typed(tag);
        if (e == null) {
            return new double[0];
        }
        return switch (e.vr()) {
            case FL, FD, OF, OD -> Values.doubles(e);
            case DS, IS -> Arrays.stream(Values.strings(e, SpecificCharacterSet.DEFAULT)).mapToDouble(Double::parseDouble).toArray();
            default -> Arrays.stream(getLongs(tag)).asDoubleStream().toArray();
        };
    }

    public double getDouble(int tag, double defaultValue) {
        try {
            double[] v = getDoubles(tag);
            return v.length == 0 ? defaultValue : v[0];
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    public LocalDate getDate(int tag) { return DicomDates.parseDate(getString(tag)); }

    public LocalTime getTime(int tag) { return DicomDates.parseTime(getString(tag)); }

    /** LocalDateTime, or OffsetDateTime when the DT value carries an offset. */
    public Temporal getDateTime(int tag) { return DicomDates.parseDateTime(getString(tag)); }

    public PersonName getPersonName(int tag) { return PersonName.parse(getString(tag)); }

    public Sequence getSequence(int tag) {
        Element e = get(tag);
        return e != null && e.value() instanceof Sequence s ? s : null;
    }

    public Fragments getFragments(int tag) {
        Element e = get(tag);
        return e != null && e.value() instanceof Fragments f ? f : null;
    }

    /** Raw bytes of an in-memory value, null when absent, a sequence, fragments or bulk data. */
    public byte[] getBytes(int tag) {
        Element e = get(tag);
        return e == null ? null : e.bytes();
    }

    // ---- writing values (little endian; strings in this data set's character set) ----

    public Dataset setString(int tag, VR vr, String... values) {
        put(new Element(tag, vr, Values.encodeStrings(vr, tag == Tag.SpecificCharacterSet
                ? SpecificCharacterSet.DEFAULT : charset(), values), false));
        return this;
    }

    public Dataset setString(int tag, String... values) { return setString(tag, dictionaryVR(tag), values); }

    public Dataset setInt(int tag, VR vr, int... values) {
        return setLong(tag, vr, Arrays.stream(values).asLongStream().toArray());
    }

    public Dataset setLong(int tag, VR vr, long... values) {
        put(new Element(tag, vr, Values.encodeLongs(vr, values), false));
        return this;
    }

    public Dataset setDouble(int tag, VR vr, double... values) {
        put(new Element(tag, vr, Values.encodeDoubles(vr, values), false));
        return this;
    }

    public Dataset setBytes(int tag, VR vr, byte[] value) {
        put(new Element(tag, vr, value, false));
        return this;
    }

    public Dataset setNull(int tag, VR vr) {
        put(new Element(tag, vr, null, false));
        return this;
    }

    /** Adds an empty sequence (replacing any element with that tag) and returns it for filling. */
    public Sequence newSequence(int tag) {
        Sequence s = new Sequence(this, true);
        put(new Element(tag, VR.SQ, s, false));
        return s;
    }

    /** Creates a sequence as a reader found it: VR SQ, or UN for a CP-246 sequence of unknown VR. */
    public Sequence newSequence(int tag, VR vr, boolean undefinedLength, boolean bigEndian) {
        Sequence s = new Sequence(this, undefinedLength);
        put(new Element(tag, vr, s, bigEndian));
        return s;
    }

    private static VR dictionaryVR(int tag) {
        VR vr = ElementDictionary.vrOf(tag);
        return vr == null ? VR.UN : vr;
    }

    /** A deep copy of the elements into a new top-level data set (bulk references and raw arrays are shared). */
    public Dataset copy() {
        Dataset d = new Dataset();
        copyInto(d);
        return d;
    }

    private void copyInto(Dataset target) {
        target.undefinedLength = undefinedLength;
        for (int i = 0; i < size; i++) {
            Element e = elements[i];
            if (e.value() instanceof Sequence s) {
                Sequence t = target.newSequence(e.tag(), e.vr(), s.undefinedLength(), e.bigEndian());
                for (Dataset item : s) {
                    item.copyInto(t.addItem());
                }
            } else {
                target.put(e);
            }
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " elements]";
    }
}
