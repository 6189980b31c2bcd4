package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Whether a stored instance holds Pixel Data (7FE0,0010), so that metadata points at pixel data
 * and frames only when there are some (issue 16: a header with Rows but no Pixel Data sent viewers
 * after a frame that does not exist). Ingest records it in the index; an instance indexed before
 * that (or replayed from a journal entry) has no record, and its stored object is read up to where
 * Pixel Data would be: a header's worth of bytes, bulk values skipped.
 */
final class PixelDataPresence {
    /** Values that big are skipped, not loaded: only where the header ends matters here. */
    private static final ReadOptions HEADER = ReadOptions.headerOnly().withBulkDataThreshold(1025)
            .withMaxValueLength(64L << 20);

    private PixelDataPresence() {}

    static boolean of(StoredInstance i, RetrieveEngine retrieve) throws IOException {
        Boolean recorded = i.record().pixelData();
        if (recorded != null) {
            return recorded;
        }
        try (InputStream object = retrieve.open(i)) {
            BufferedInputStream in = new BufferedInputStream(object, 64 * 1024);
            FileMeta meta = DicomReader.readFileMeta(in);
            // The object's own syntax, as ingest recorded it in its meta information.
            String ts = meta.transferSyntaxUid() == null ? i.record().transferSyntax()
                    : meta.transferSyntaxUid().strip().replace("\0", "");
            return DicomReader.readHeader(in, ts, HEADER).pixelDataFollows();
        }
    }
}
