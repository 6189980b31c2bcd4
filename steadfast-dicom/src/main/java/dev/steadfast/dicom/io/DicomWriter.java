package dev.steadfast.dicom.io;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Bytes;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Fragments;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.VR;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes data sets and Part 10 files in the uncompressed transfer syntaxes and deflate.
 * Values are written as held, so reading then writing in the same syntax reproduces the
 * bytes of well-formed input: defined or undefined lengths, odd lengths and group lengths
 * are kept as found; values read in the other byte order are swapped.
 */
public final class DicomWriter {
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITATION = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private final OutputStream out;
    private final byte[] header = new byte[12];
    private boolean explicit;
    private boolean bigEndian;

    private DicomWriter(OutputStream out, boolean explicit, boolean bigEndian) {
        this.out = out;
        this.explicit = explicit;
        this.bigEndian = bigEndian;
    }

    /** Writes the data set's elements in the transfer syntax (deflating for the deflate syntax). */
    public static void writeDataset(OutputStream out, Dataset ds, String transferSyntaxUid) throws IOException {
        TransferSyntax ts = TransferSyntax.of(transferSyntaxUid);
        if (ts.deflated()) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try {
                long[] written = {0};
                OutputStream counting = new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        written[0]++;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written[0] += len;
                    }
                };
                DeflaterOutputStream dos = new DeflaterOutputStream(counting, deflater, 64 * 1024);
                writeBuffered(dos, ds, ts);
                dos.finish();
                if ((written[0] & 1) != 0) {
                    // PS3.5 A.5: the deflated stream is padded to even length (an odd P-DATA fragment is refused by dcmtk).
                    out.write(0);
                }
            } finally {
                deflater.end();
            }
        } else {
            writeBuffered(out, ds, ts);
        }
    }

    private static void writeBuffered(OutputStream out, Dataset ds, TransferSyntax ts) throws IOException {
        if (out instanceof ByteArrayOutputStream) {
            // In memory already: no 64 KiB buffer (ingest writes each instance's meta group this way, issue 8).
            new DicomWriter(out, ts.explicitVR(), ts.bigEndian()).writeElements(ds);
            return;
        }
        BufferedOutputStream bos = new BufferedOutputStream(nonClosing(out), 64 * 1024);
        new DicomWriter(bos, ts.explicitVR(), ts.bigEndian()).writeElements(ds);
        bos.flush();
    }

    public static byte[] encode(Dataset ds, String transferSyntaxUid) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        TransferSyntax ts = TransferSyntax.of(transferSyntaxUid);
        if (ts.deflated()) {
            writeDataset(bos, ds, transferSyntaxUid);
        } else {
            // In memory already: no 64 KiB buffer per call (command sets are encoded per message).
            new DicomWriter(bos, ts.explicitVR(), ts.bigEndian()).writeElements(ds);
        }
        return bos.toByteArray();
    }

    /** Writes a Part 10 file: preamble, "DICM", a fresh File Meta Information group, then the data set. */
    public static void writeFile(OutputStream out, Dataset ds, String transferSyntaxUid) throws IOException {
        writeFile(out, FileMetaBuilder.build(ds, transferSyntaxUid, null), ds, transferSyntaxUid);
    }

    /** Writes a Part 10 file with the given meta group (its group length is recomputed). */
    public static void writeFile(OutputStream out, Dataset meta, Dataset ds, String transferSyntaxUid) throws IOException {
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        Dataset m = meta.copy();
        m.remove(Tag.FileMetaInformationGroupLength);
        long groupLength = new DicomWriter(OutputStream.nullOutputStream(), true, false).elementsLength(m);
        m.setLong(Tag.FileMetaInformationGroupLength, VR.UL, groupLength);
        writeBuffered(out, m, TransferSyntax.EXPLICIT_LE);
        writeDataset(out, ds, transferSyntaxUid);
    }

    private void writeElements(Dataset ds) throws IOException {
        for (Element e : ds) {
            writeElement(e);
        }
    }

    private void writeElement(Element e) throws IOException {
        switch (e.value()) {
            case Sequence seq -> writeSequence(e, seq);
            case Fragments frags -> writeFragments(e, frags);
            case BulkData bd -> {
                writeHeader(e.tag(), e.vr(), bd.length());
                writeBulk(bd, e);
            }
            case byte[] b -> {
                writeHeader(e.tag(), e.vr(), b.length);
                out.write(e.bigEndian() == bigEndian ? b : Bytes.swapped(b, swapWidth(e.vr())));
            }
            case null -> writeHeader(e.tag(), e.vr(), 0);
            default -> throw new IllegalStateException("unexpected value " + e.value().getClass());
        }
    }

    private static int swapWidth(VR vr) {
        // UN carries no byte order knowledge; OB and text are byte streams.
        return vr == VR.UN ? 1 : vr.bytesPerNumber();
    }

    private void writeBulk(BulkData bd, Element e) throws IOException {
        if (bd.bigEndian() != bigEndian && swapWidth(e.vr()) > 1) {
            out.write(Bytes.swapped(bd.readAll(), swapWidth(e.vr())));
            return;
        }
        try (InputStream in = bd.openStream()) {
            long copied = in.transferTo(out);
            if (copied != bd.length()) {
                throw new IOException("bulk data of " + Tag.toString(e.tag()) + " ended after " + copied
                        + " of " + bd.length() + " bytes");
            }
        }
    }

    private void writeSequence(Element e, Sequence seq) throws IOException {
        boolean cp246 = e.vr() == VR.UN;
        boolean undefined = seq.undefinedLength() || cp246;
        writeHeader(e.tag(), e.vr(), undefined ? UNDEFINED : itemsLength(seq));
        boolean savedExplicit = explicit;
        boolean savedBigEndian = bigEndian;
        if (cp246) {
            explicit = false; // a UN sequence is implicit VR little endian inside (CP-246)
            bigEndian = false;
        }
        try {
            for (Dataset item : seq) {
                writeTagAndLength(ITEM, item.undefinedLength() ? UNDEFINED : elementsLength(item));
                writeElements(item);
                if (item.undefinedLength()) {
                    writeTagAndLength(ITEM_DELIMITATION, 0);
                }
            }
            if (undefined) {
                writeTagAndLength(SEQUENCE_DELIMITATION, 0);
            }
        } finally {
            explicit = savedExplicit;
            bigEndian = savedBigEndian;
        }
    }

    private void writeFragments(Element e, Fragments frags) throws IOException {
        writeHeader(e.tag(), e.vr(), UNDEFINED);
        for (Object f : frags) {
            writeTagAndLength(ITEM, Fragments.lengthOf(f));
            if (f instanceof byte[] b) {
                out.write(b);
            } else {
                try (InputStream in = ((BulkData) f).openStream()) {
                    in.transferTo(out);
                }
            }
        }
        writeTagAndLength(SEQUENCE_DELIMITATION, 0);
    }

    private void writeHeader(int tag, VR vr, long length) throws IOException {
        if (!explicit) {
            writeTagAndLength(tag, length);
            return;
        }
        VR written = vr;
        if (!vr.hasLongLength() && length > 0xFFFF) {
            written = VR.UN; // PS3.5 6.2.2: a value too long for its VR's 16-bit length is written as UN
        }
        putTag(tag);
        header[4] = (byte) (written.code() >> 8);
        header[5] = (byte) written.code();
        if (written.hasLongLength()) {
            header[6] = 0;
            header[7] = 0;
            Bytes.putInt32(header, 8, (int) length, bigEndian);
            out.write(header, 0, 12);
        } else {
            Bytes.putUint16(header, 6, (int) length, bigEndian);
            out.write(header, 0, 8);
        }
    }

    private void writeTagAndLength(int tag, long length) throws IOException {
        putTag(tag);
        Bytes.putInt32(header, 4, (int) length, bigEndian);
        out.write(header, 0, 8);
    }

    private void putTag(int tag) {
        Bytes.putUint16(header, 0, tag >>> 16, bigEndian);
        Bytes.putUint16(header, 2, tag & 0xFFFF, bigEndian);
    }

    // ---- lengths, for defined-length sequences and items and for group lengths ----

    long elementsLength(Dataset ds) {
        long total = 0;
        for (Element e : ds) {
            total += elementLength(e);
        }
        return total;
    }

    private long elementLength(Element e) {
        long headerLength = explicit ? e.vr().explicitHeaderLength() : 8;
        return switch (e.value()) {
            case Sequence seq -> {
                boolean cp246 = e.vr() == VR.UN;
                boolean undefined = seq.undefinedLength() || cp246;
                boolean savedExplicit = explicit;
                if (cp246) {
                    explicit = false;
                }
                long body = itemsLength(seq) + (undefined ? 8 : 0);
                explicit = savedExplicit;
                yield headerLength + body;
            }
            case Fragments f -> {
                long sum = headerLength + 8;
                for (Object frag : f) {
                    sum += 8 + Fragments.lengthOf(frag);
                }
                yield sum;
            }
            case null, default -> {
                long len = e.length();
                if (explicit && !e.vr().hasLongLength() && len > 0xFFFF) {
                    headerLength = 12;
                }
                yield headerLength + len;
            }
        };
    }

    private long itemsLength(Sequence seq) {
        long total = 0;
        for (Dataset item : seq) {
            total += 8 + elementsLength(item) + (item.undefinedLength() ? 8 : 0);
        }
        return total;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
