package dev.steadfast.web.stow;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.dicom.io.RecordingInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the header of a Part 10 part (up to Pixel Data) to learn its UIDs before it is stored,
 * and gives back a stream that replays the bytes read followed by the rest of the part. Only
 * the header and the reader's look-ahead are held.
 */
final class PartHeader {
    final Dataset dataset;
    final InputStream replay;

    private PartHeader(Dataset dataset, InputStream replay) {
        this.dataset = dataset;
        this.replay = replay;
    }

    /**
     * @return the header and the replaying stream; a header that does not parse gives a null
     *         data set (ingest then reports why) but the same full replay
     */
    static PartHeader read(InputStream part) throws IOException {
        RecordingInputStream rec = new RecordingInputStream(part);
        Dataset ds;
        try {
            DicomFile f = DicomReader.read(rec, ReadOptions.headerOnly());
            ds = f.dataset();
        } catch (dev.steadfast.dicom.DicomParseException | RuntimeException e) {
            ds = null;
        }
        return new PartHeader(ds, rec.replay());
    }
}
