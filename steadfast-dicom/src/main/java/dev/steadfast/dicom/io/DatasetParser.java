package dev.steadfast.dicom.io;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Parses data set elements from a {@link DicomInput} into a {@link Dataset}, following the
 * encoding rules of PS3.5 chapter 7. Values are kept raw; sequences, items and encapsulated
 * fragments are resolved. Lengths are checked against what remains and the caps of
 * {@link ReadOptions}; nesting is bounded, so hostile input cannot exhaust memory or stack.
 */
final class DatasetParser {
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITATION = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private final DicomInput in;
    private final ReadOptions options;
    private final Path bulkSource;
    private boolean explicit;
    private boolean bigEndian;

    /**
     * @param bulkSource the file the stream comes from, for bulk data references; null for a stream,
     *                   whose bulk values (per {@link ReadOptions#bulkDataThreshold()}) are skipped
     */
    DatasetParser(DicomInput in, ReadOptions options, boolean explicit, boolean bigEndian, Path bulkSource) {
        this.in = in;
        this.options = options;
        this.explicit = explicit;
        this.bigEndian = bigEndian;
        this.bulkSource = bulkSource;
    }

    /** Where {@link #readTopLevel} stopped: the tag left unread; 0 when the stream ended first. */
    private int stoppedBefore;
    /** The value length of that element (-1: undefined, or not known from the bytes at hand). */
    private long stoppedLength = -1;

    /** Reads top-level elements until the end of the stream or the stop tag. */
    void readTopLevel(Dataset ds) throws IOException {
        while (!in.atEnd()) {
            if (options.stopBeforeTag() != 0 && in.peekable(4) == 4
                    && Integer.compareUnsigned(peekTag(0), options.stopBeforeTag()) >= 0) {
                noteStop();
                return;
            }
            readElement(ds, 0, true);
        }
    }

    int stoppedBefore() {
        return stoppedBefore;
    }

    long stoppedLength() {
        return stoppedLength;
    }

    /**
     * Peeks at the element where the read stopped, without reading it: its tag and value length
     * (a Pixel Data of no value is no pixel data, issue 16).
     */
    private void noteStop() throws IOException {
        stoppedBefore = peekTag(0);
        VR vr = explicit && in.peekable(6) == 6 ? VR.ofCode((in.peek(4) << 8) | in.peek(5)) : null;
        if (vr != null && !vr.hasLongLength()) {
            stoppedLength = in.peekable(8) == 8 ? peekU16(6) : -1;
            return;
        }
        int lengthAt = vr != null ? 8 : 4; // explicit: VR and 2 reserved bytes; implicit: none
        if (in.peekable(lengthAt + 4) == lengthAt + 4) {
            long len = ((long) peekU16(lengthAt + (bigEndian ? 0 : 2)) << 16) | peekU16(lengthAt + (bigEndian ? 2 : 0));
            stoppedLength = len == UNDEFINED ? -1 : len;
        }
    }

    private int peekU16(int at) {
        return bigEndian ? (in.peek(at) << 8) | in.peek(at + 1) : in.peek(at) | (in.peek(at + 1) << 8);
    }

    /**
     * Reads top-level elements while their group is {@code group} (the File Meta Information:
     * group 0002). A stop tag would not do: an element of group 0000 or 0001 after the meta group
     * belongs to the data set, though its tag is smaller.
     */
    void readGroup(Dataset ds, int group) throws IOException {
        while (!in.atEnd() && in.peekable(4) == 4 && peekTag(0) >>> 16 == group) {
            readElement(ds, 0, true);
        }
    }

    private int peekTag(int at) {
        return (peekU16(at) << 16) | peekU16(at + 2);
    }

    private int readTag() throws IOException {
        int g = in.u16(bigEndian);
        int e = in.u16(bigEndian);
        return (g << 16) | e;
    }

    /**
     * Reads one element into {@code ds}. Returns the delimiter tag met instead of an element
     * (item or sequence delimitation), or 0 after a normal element.
     */
    private int readElement(Dataset ds, int depth, boolean topLevel) throws IOException {
        long start = in.position();
        int tag = readTag();
        if ((tag >>> 16) == 0xFFFE) {
            long len = in.i32(bigEndian) & 0xFFFFFFFFL;
            if (tag == ITEM_DELIMITATION || tag == SEQUENCE_DELIMITATION) {
                // Stray delimiters at top level occur in real files (dcmtk tolerates them too).
                return topLevel ? 0 : tag;
            }
            throw new DicomParseException("unexpected " + Tag.toString(tag) + " (length " + len
                    + ") where a data element was expected", start);
        }
        VR vr;
        long len;
        boolean vrFromStream = explicit && isVrAhead();
        if (vrFromStream) {
            vr = VR.ofCode((in.u8() << 8) | in.u8());
            if (vr.hasLongLength()) {
                in.u16(bigEndian);
                len = in.i32(bigEndian) & 0xFFFFFFFFL;
            } else {
                len = in.u16(bigEndian);
            }
        } else {
            vr = implicitVR(tag, ds);
            len = in.i32(bigEndian) & 0xFFFFFFFFL;
        }
        if (len == UNDEFINED) {
            if (tag == Tag.PixelData || (vr != VR.SQ && vr != VR.UN && vr.kind() == VR.Kind.BINARY)) {
                ds.put(new Element(tag, vr, readFragments(topLevel), bigEndian));
            } else {
                readSequence(ds, tag, vr == VR.UN ? VR.UN : VR.SQ, UNDEFINED, depth);
            }
        } else if (vr == VR.SQ && (vrFromStream || len == 0 || itemAhead())) {
            readSequence(ds, tag, VR.SQ, len, depth);
        } else if (vr == VR.SQ) {
            // Implicit VR where the dictionary says SQ but the value is not items (a writer used
            // another VR): keep the bytes as UN rather than misreading them.
            ds.put(new Element(tag, VR.UN, readValue(tag, VR.UN, len), bigEndian));
        } else {
            ds.put(new Element(tag, vr, readValue(tag, vr, len), bigEndian));
        }
        return 0;
    }

    /** Explicit VR streams sometimes carry elements without a VR; dcmtk reads those as implicit too. */
    private boolean isVrAhead() throws IOException {
        return in.peekable(2) == 2 && VR.ofCode((in.peek(0) << 8) | in.peek(1)) != null;
    }

    private boolean itemAhead() throws IOException {
        return in.peekable(4) == 4 && peekTag(0) == ITEM;
    }

    private VR implicitVR(int tag, Dataset ds) {
        var entry = ElementDictionary.lookup(tag);
        if (entry == null || entry.vrs().isEmpty()) {
            return VR.UN;
        }
        if (entry.vrs().size() == 1) {
            return entry.vrs().getFirst();
        }
        if (entry.vrs().contains(VR.OW)) {
            return VR.OW; // OB or OW, US or SS or OW: implicit VR always means OW (PS3.5 A.1)
        }
        if (entry.vrs().contains(VR.SS)) {
            return ElementDictionary.pixelRepresentation(ds) == 1 ? VR.SS : VR.US;
        }
        return entry.vrs().getFirst();
    }

    private Object readValue(int tag, VR vr, long len) throws IOException {
        if (len > in.remaining()) { // the message is built only on failure: this runs for every element
            in.checkRemaining(len, Tag.toString(tag) + " " + vr);
        }
        if (isBulk(vr, len)) { // never loaded, so not bound by maxValueLength
            BulkData bd = new BulkData(bulkSource, in.position(), len, bigEndian);
            in.skip(len);
            return bd;
        }
        if (len > options.maxValueLength()) {
            throw new DicomParseException(Tag.toString(tag) + " " + vr + " declares " + len
                    + " bytes, over the limit of " + options.maxValueLength(), in.position());
        }
        return len == 0 ? null : in.readBytes(len);
    }

    private boolean isBulk(VR vr, long len) {
        // Without a source file (a stream) the value is skipped: a reference without a file.
        return options.bulkDataThreshold() >= 0 && len >= options.bulkDataThreshold() && vr.kind() == VR.Kind.BINARY;
    }

    private void readSequence(Dataset ds, int tag, VR vr, long len, int depth) throws IOException {
        if (depth + 1 > options.maxDepth()) {
            throw new DicomParseException("sequence nesting deeper than " + options.maxDepth(), in.position());
        }
        long seqStart = in.position();
        if (len != UNDEFINED) {
            if (len > in.remaining()) {
                in.checkRemaining(len, "sequence " + Tag.toString(tag));
            }
        }
        Sequence seq = ds.newSequence(tag, vr, len == UNDEFINED, bigEndian);
        // CP-246: a UN sequence of undefined length is encoded in implicit VR little endian.
        boolean savedExplicit = explicit;
        boolean savedBigEndian = bigEndian;
        if (vr == VR.UN) {
            explicit = false;
            bigEndian = false;
        }
        try {
            while (len == UNDEFINED || in.position() - seqStart < len) {
                long itemStart = in.position();
                int itemTag = readTag();
                long itemLen = in.i32(bigEndian) & 0xFFFFFFFFL;
                if (itemTag == SEQUENCE_DELIMITATION && len == UNDEFINED) {
                    return;
                }
                if (itemTag == SEQUENCE_DELIMITATION) {
                    continue; // stray delimiter inside a defined-length sequence (Philips writes these)
                }
                if (itemTag != ITEM) {
                    throw new DicomParseException("expected an item in sequence " + Tag.toString(tag)
                            + " but found " + Tag.toString(itemTag), itemStart);
                }
                Dataset item = seq.addItem();
                item.setUndefinedLength(itemLen == UNDEFINED);
                if (readItem(item, itemLen, depth + 1)) {
                    return; // a sequence delimiter closed the item and the sequence
                }
            }
            if (in.position() - seqStart != len) {
                throw new DicomParseException("items of sequence " + Tag.toString(tag) + " overrun its length " + len,
                        in.position());
            }
        } finally {
            explicit = savedExplicit;
            bigEndian = savedBigEndian;
        }
    }

    /** Returns true when a sequence delimiter ended the item (a missing item delimiter). */
    private boolean readItem(Dataset item, long len, int depth) throws IOException {
        if (len == UNDEFINED) {
            while (true) {
                int delimiter = readElement(item, depth, false);
                if (delimiter == ITEM_DELIMITATION) {
                    return false;
                }
                if (delimiter == SEQUENCE_DELIMITATION) {
                    return true;
                }
            }
        }
        in.checkRemaining(len, "item");
        long end = in.position() + len;
        while (in.position() < end) {
            int delimiter = readElement(item, depth, false);
            if (delimiter != 0) {
                throw new DicomParseException("delimiter " + Tag.toString(delimiter) + " inside an item of defined length",
                        in.position());
            }
        }
        if (in.position() != end) {
            throw new DicomParseException("elements overrun their item's length " + len, in.position());
        }
        return false;
    }

    private Fragments readFragments(boolean topLevel) throws IOException {
        Fragments fragments = new Fragments();
        while (true) {
            // Some writers omit the final delimiter of top-level pixel data; end of stream then ends it.
            if (topLevel && in.atEnd() && fragments.size() > 0) {
                return fragments;
            }
            long itemStart = in.position();
            int tag = readTag();
            long len = in.i32(bigEndian) & 0xFFFFFFFFL;
            if (tag == SEQUENCE_DELIMITATION) {
                return fragments;
            }
            if (tag != ITEM || len == UNDEFINED) {
                throw new DicomParseException("expected a pixel data fragment item but found " + Tag.toString(tag)
                        + " with length " + len, itemStart);
            }
            if (len > options.maxValueLength()) {
                throw new DicomParseException("fragment of " + len + " bytes is over the limit", itemStart);
            }
            fragments.add(readFragment(len));
        }
    }

    private Object readFragment(long len) throws IOException {
        in.checkRemaining(len, "fragment");
        if (fragmentsAsBulk(len)) {
            BulkData bd = new BulkData(bulkSource, in.position(), len, false);
            in.skip(len);
            return bd;
        }
        return in.readBytes(len);
    }

    private boolean fragmentsAsBulk(long len) {
        return options.bulkDataThreshold() >= 0 && len >= options.bulkDataThreshold();
    }
}
