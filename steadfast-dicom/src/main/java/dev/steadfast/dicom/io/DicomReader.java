package dev.steadfast.dicom.io;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads Part 10 files (with or without preamble and meta information) and bare data sets in
 * every uncompressed transfer syntax and deflate; encapsulated syntaxes keep their fragments.
 * Every malformed input ends in a {@link DicomParseException}.
 */
public final class DicomReader {
    private static final int META_LIMIT = 1 << 20;

    private DicomReader() {}

    public static DicomFile readFile(Path file) throws IOException {
        return readFile(file, ReadOptions.DEFAULT);
    }

    /** Reads a file; with a bulk data threshold, large binary values stay in the file as references. */
    public static DicomFile readFile(Path file, ReadOptions options) throws IOException {
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, size, file, options);
        }
    }

    /** Reads a Part 10 file or bare data set from a stream, detecting which it is. */
    public static DicomFile read(InputStream in, ReadOptions options) throws IOException {
        return read(in, -1, null, options);
    }

    /** Reads a Part 10 file or bare data set held in memory; values are copied out of it into arrays of their size. */
    public static DicomFile read(byte[] data, ReadOptions options) throws IOException {
        return read(new java.io.ByteArrayInputStream(data), data.length, null, options);
    }

    /** Reads a bare data set encoded in the given transfer syntax, to the end of the stream. */
    public static Dataset readDataset(InputStream in, String transferSyntaxUid) throws IOException {
        return readDataset(in, transferSyntaxUid, ReadOptions.DEFAULT);
    }

    public static Dataset readDataset(InputStream in, String transferSyntaxUid, ReadOptions options) throws IOException {
        return readHeader(in, transferSyntaxUid, options).dataset();
    }

    /**
     * A data set read up to the options' stop tag, and what comes next (peeked, not read).
     *
     * @param stoppedBefore the top-level tag where the read stopped (for {@link ReadOptions#headerOnly()}:
     *                      Pixel Data, or what follows where it would be); 0 when the stream ended first
     * @param stoppedLength that element's value length; -1 when undefined (encapsulated) or unknown
     */
    public record Header(Dataset dataset, int stoppedBefore, long stoppedLength) {
        /**
         * Whether the instance holds pixel data: Pixel Data (7FE0,0010) follows the header with a value
         * (undefined length counts), or the header holds Float or Double Float Pixel Data (7FE0,0008/0009,
         * parametric maps), which come before where the header read stops.
         */
        public boolean pixelDataFollows() {
            return (stoppedBefore == 0x7FE00010 && stoppedLength != 0) || holds(0x7FE00008) || holds(0x7FE00009);
        }

        private boolean holds(int tag) {
            dev.steadfast.dicom.Element e = dataset.get(tag);
            return e != null && !e.isEmpty();
        }
    }

    /** Reads a bare data set like {@link #readDataset(InputStream, String, ReadOptions)}, telling where it stopped. */
    public static Header readHeader(InputStream in, String transferSyntaxUid, ReadOptions options) throws IOException {
        TransferSyntax ts = TransferSyntax.of(transferSyntaxUid);
        InputStream src = ts.deflated() ? inflating(in) : in;
        Dataset ds = new Dataset();
        DatasetParser parser = new DatasetParser(new DicomInput(src, 0, -1), options, ts.explicitVR(), ts.bigEndian(), null);
        parser.readTopLevel(ds);
        return new Header(ds, parser.stoppedBefore(), parser.stoppedLength());
    }

    /**
     * Reads the preamble and File Meta Information and leaves {@code in} positioned exactly at
     * the first byte of the data set. The stream must support mark/reset (wrap it in a
     * {@link BufferedInputStream}). A stream without meta information gives empty attributes.
     */
    public static FileMeta readFileMeta(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("readFileMeta needs a stream that supports mark/reset");
        }
        in.mark(META_LIMIT + 1);
        // Bounded so the mark on the source stays valid; DicomInput never closes its source.
        DicomInput di = new DicomInput(new BoundedInputStream(in, META_LIMIT), 0, -1);
        FileMeta meta = readMeta(di);
        in.reset();
        in.skipNBytes(meta.datasetOffset());
        return meta;
    }

    private static DicomFile read(InputStream raw, long size, Path file, ReadOptions options) throws IOException {
        DicomInput di = new DicomInput(raw, 0, size);
        FileMeta meta = readMeta(di);
        String tsUid = meta.transferSyntaxUid();
        TransferSyntax ts;
        if (tsUid == null || tsUid.isEmpty()) {
            ts = detect(di);
            tsUid = ts.uid();
        } else {
            ts = TransferSyntax.of(tsUid);
        }
        Dataset ds = new Dataset();
        DatasetParser parser;
        if (ts.deflated()) {
            DicomInput inflated = new DicomInput(inflating(di.remainder()), 0, -1);
            parser = new DatasetParser(inflated, options, true, false, null);
        } else {
            parser = new DatasetParser(di, options, ts.explicitVR(), ts.bigEndian(), file);
        }
        parser.readTopLevel(ds);
        return new DicomFile(meta, tsUid, ds);
    }

    private static FileMeta readMeta(DicomInput di) throws IOException {
        boolean preamble = false;
        int n = di.peekable(136);
        if (n >= 134 && isDicm(di, 128) && di.peek(132) == 0x02 && di.peek(133) == 0x00) {
            di.skipPeeked(132);
            preamble = true;
        } else if (n >= 6 && isDicm(di, 0) && di.peek(4) == 0x02 && di.peek(5) == 0x00) {
            di.skipPeeked(4);
        }
        Dataset meta = new Dataset();
        if (di.peekable(2) == 2 && di.peek(0) == 0x02 && di.peek(1) == 0x00) {
            // Group 0002 is always explicit VR little endian; its group length is not trusted
            // (real files get it wrong), the group number of the next element decides.
            new DatasetParser(di, ReadOptions.DEFAULT, true, false, null).readGroup(meta, 0x0002);
        } else if (preamble) {
            throw new DicomParseException("DICM prefix is not followed by File Meta Information", di.position());
        }
        return new FileMeta(meta, preamble, di.position());
    }

    private static boolean isDicm(DicomInput di, int at) {
        return di.peek(at) == 'D' && di.peek(at + 1) == 'I' && di.peek(at + 2) == 'C' && di.peek(at + 3) == 'M';
    }

    /** Guesses the encoding of a data set without meta information from its first element header. */
    private static TransferSyntax detect(DicomInput di) throws IOException {
        int n = di.peekable(8);
        if (n < 8) {
            if (n == 0) {
                throw new DicomParseException("empty input: no DICOM data set", di.position());
            }
            throw new DicomParseException("too short for a DICOM data set (" + n + " bytes)", di.position());
        }
        boolean vrAhead = VR.ofCode((di.peek(4) << 8) | di.peek(5)) != null;
        int groupLE = di.peek(0) | (di.peek(1) << 8);
        int groupBE = (di.peek(0) << 8) | di.peek(1);
        if (vrAhead) {
            return groupLE <= 0x00FF || groupBE > 0x00FF ? TransferSyntax.EXPLICIT_LE : TransferSyntax.EXPLICIT_BE;
        }
        if (groupLE > 0x00FF && groupBE <= 0x00FF) {
            throw new DicomParseException("data set looks like implicit VR big endian, which DICOM does not define",
                    di.position());
        }
        return TransferSyntax.of(UID.ImplicitVRLittleEndian);
    }

    /**
     * Deflate packs zeros about 1000:1, so a few hundred kB could really hold a value of hundreds
     * of MB. Real DICOM deflates a few to one; past a floor, refuse expansion beyond this ratio.
     */
    private static final long INFLATION_FLOOR = 16L << 20;
    private static final long MAX_INFLATION_RATIO = 100;

    private static InputStream inflating(InputStream in) {
        long[] compressed = new long[1];
        InputStream counting = new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                compressed[0] += Math.max(n, 0);
                return n;
            }
        };
        return new InflaterInputStream(counting, new Inflater(true), 16 * 1024) {
            private long inflated;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (DicomParseException e) {
                    throw e;
                } catch (IOException e) {
                    // ZipException for corrupt data, EOFException for a stream cut short.
                    throw new DicomParseException("corrupt or truncated deflated data: " + e.getMessage(), inflated, e);
                }
                inflated += Math.max(n, 0);
                if (inflated > INFLATION_FLOOR && inflated > MAX_INFLATION_RATIO * compressed[0]) {
                    throw new DicomParseException("deflated data expands more than " + MAX_INFLATION_RATIO
                            + ":1 (" + compressed[0] + " bytes to " + inflated + ")", inflated);
                }
                return n;
            }
        };
    }
}
