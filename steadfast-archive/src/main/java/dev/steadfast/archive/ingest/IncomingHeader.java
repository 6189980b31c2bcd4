package dev.steadfast.archive.ingest;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.FileMetaBuilder;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The header of an incoming instance: parsed while it streams, checked, and its new File Meta Information. */
final class IncomingHeader {
    /**
     * The header parse: binary values the index metadata leaves out anyway ({@link Metadata}) are
     * skipped, not loaded, and other values are bounded, so the heap a header costs does not grow
     * with what the sender put before Pixel Data (issue 14); the skipped bytes still reach storage.
     */
    static final ReadOptions HEADER = ReadOptions.headerOnly().withBulkDataThreshold(Metadata.BULK_THRESHOLD + 1)
            .withMaxValueLength(64L << 20);

    private IncomingHeader() {}

    /** The header, and where the parse stopped: {@link Tag#PixelData} when the instance holds pixel data. */
    static DicomReader.Header parse(InputStream capture, String transferSyntaxUid) throws IngestException {
        if (transferSyntaxUid == null || transferSyntaxUid.isBlank()) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "no transfer syntax given", null);
        }
        try {
            return DicomReader.readHeader(capture, transferSyntaxUid, HEADER);
        } catch (DicomParseException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot parse the data set: "
                    + e.getMessage(), e);
        } catch (HeaderRecorder.SpillFailure e) {
            throw new IngestException(IngestException.Kind.OUT_OF_RESOURCES, e.getMessage(), e);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.INPUT_FAILURE, "the data set stream broke: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot parse the data set: " + e, e);
        }
    }

    static String required(Dataset ds, int tag, String name) throws IngestException {
        String v = IndexedAttributes.uid(ds, tag);
        if (v == null || v.isEmpty()) {
            throw new IngestException(IngestException.Kind.MISSING_ATTRIBUTE, name + " " + Tag.toString(tag)
                    + " is missing or empty", tag, null);
        }
        return v;
    }

    static byte[] fileMeta(Dataset header, String ts, String callingAe) throws IngestException {
        try {
            Dataset meta = FileMetaBuilder.build(header, ts, callingAe);
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            // An empty data set after the meta group: the syntax given here only encodes that (nothing).
            DicomWriter.writeFile(out, meta, new Dataset(), UID.ExplicitVRLittleEndian);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot build File Meta Information: "
                    + e.getMessage(), e);
        }
    }

    /** Guesses the syntax of a data set without meta information from its first element header. */
    static String detectSyntax(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] b = in.readNBytes(8);
        in.reset();
        if (b.length < 8) {
            throw new DicomParseException("too short for a DICOM data set (" + b.length + " bytes)", 0);
        }
        boolean vrAhead = VR.ofCode(((b[4] & 0xFF) << 8) | (b[5] & 0xFF)) != null;
        int groupLE = (b[0] & 0xFF) | ((b[1] & 0xFF) << 8);
        int groupBE = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        if (vrAhead) {
            return groupLE <= 0x00FF || groupBE > 0x00FF ? UID.ExplicitVRLittleEndian : UID.ExplicitVRBigEndian;
        }
        return UID.ImplicitVRLittleEndian;
    }
}
