package dev.steadfast.web.wado;

import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Walks a stored Part 10 stream to the value of the top-level Pixel Data element without
 * keeping anything: element headers are read, values skipped, sequences walked item by item.
 * Frames are then read straight from the stream, so a 2 GB multi-frame costs one buffer.
 */
final class PixelDataStream {
    static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    static final long UNDEFINED = 0xFFFFFFFFL;

    final InputStream in;
    final TransferSyntax syntax;
    /** Value length of Pixel Data, {@link #UNDEFINED} for encapsulated. */
    long length;
    boolean found;

    private PixelDataStream(InputStream in, TransferSyntax syntax) {
        this.in = in;
        this.syntax = syntax;
    }

    /** Opens the stream at the Pixel Data value; {@link #found} is false when the object has none. */
    static PixelDataStream open(InputStream part10) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(part10, 64 * 1024);
        FileMeta meta = DicomReader.readFileMeta(buffered);
        String tsUid = meta.transferSyntaxUid();
        if (tsUid == null) {
            throw new DicomParseException("stored object has no transfer syntax", 0);
        }
        TransferSyntax ts = TransferSyntax.of(tsUid.strip().replace("\0", ""));
        InputStream data = ts.deflated() ? new InflaterInputStream(buffered, new Inflater(true), 16 * 1024) : buffered;
        PixelDataStream p = new PixelDataStream(data, ts);
        p.seek();
        return p;
    }

    private void seek() throws IOException {
        while (true) {
            int tag;
            try {
                tag = tag();
            } catch (EOFException e) {
                return; // no pixel data
            }
            long len = length(tag);
            // Float and Double Float Pixel Data (parametric maps) are native frames too.
            if (tag == PIXEL_DATA || tag == 0x7FE00008 || tag == 0x7FE00009) {
                found = true;
                length = len;
                return;
            }
            skipValue(len);
        }
    }

    /** Reads a 4-byte item header: returns its tag; {@link #itemLength} holds its length. */
    int item() throws IOException {
        int tag = tag();
        itemLength = u32();
        return tag;
    }

    long itemLength;

    static boolean isItem(int tag) { return tag == ITEM; }

    static boolean isSequenceEnd(int tag) { return tag == SEQUENCE_END; }

    private void skipValue(long len) throws IOException {
        if (len != UNDEFINED) {
            in.skipNBytes(len);
            return;
        }
        // A sequence (or encapsulated data) of undefined length: walk its items.
        while (true) {
            int t = item();
            if (t == SEQUENCE_END) {
                return;
            }
            if (t != ITEM) {
                throw new DicomParseException("expected an item in a sequence of undefined length", 0);
            }
            if (itemLength != UNDEFINED) {
                in.skipNBytes(itemLength);
            } else {
                skipItemElements();
            }
        }
    }

    private void skipItemElements() throws IOException {
        while (true) {
            int t = tag();
            if (t == ITEM_END) {
                u32();
                return;
            }
            skipValue(length(t));
        }
    }

    private int tag() throws IOException {
        int g = u16();
        int e = u16();
        return (g << 16) | e;
    }

    /** Reads the VR (if explicit) and length of an element whose tag was just read. */
    private long length(int tag) throws IOException {
        if ((tag >>> 16) == 0xFFFE || !syntax.explicitVR()) {
            return u32();
        }
        int b1 = read1();
        int b2 = read1();
        String vr = "" + (char) b1 + (char) b2;
        return switch (vr) {
            case "OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV" -> {
                u16();
                yield u32();
            }
            default -> u16();
        };
    }

    private int read1() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private int u16() throws IOException {
        int a = read1();
        int b = read1();
        return syntax.bigEndian() ? (a << 8) | b : (b << 8) | a;
    }

    long u32() throws IOException {
        long a = u16();
        long b = u16();
        return syntax.bigEndian() ? (a << 16) | b : (b << 16) | a;
    }
}
