package dev.steadfast.net.dimse;

import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.ReadOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file sent as it is: the bytes after its meta information go out unchanged. */
record FileStoreSource(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid, long datasetOffset)
        implements StoreSource {

    static FileStoreSource open(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 16384)) {
            FileMeta meta = DicomReader.readFileMeta(in);
            String ts = meta.transferSyntaxUid();
            String cuid = meta.mediaStorageSopClassUid();
            String iuid = meta.mediaStorageSopInstanceUid();
            if (ts == null || cuid == null || iuid == null) {
                // No (or incomplete) meta information: read the header to learn syntax and identity.
                DicomFile f = DicomReader.readFile(file, ReadOptions.DEFAULT.withStopBeforeTag(0x00090000));
                ts = ts != null ? ts : f.transferSyntaxUid();
                cuid = cuid != null ? cuid : f.dataset().getString(Tag.SOPClassUID);
                iuid = iuid != null ? iuid : f.dataset().getString(Tag.SOPInstanceUID);
            }
            if (cuid == null || iuid == null) {
                throw new DicomParseException("no SOP Class or SOP Instance UID in " + file, 0);
            }
            return new FileStoreSource(file, cuid, iuid, ts, meta.datasetOffset());
        }
    }

    @Override
    public InputStream openDataset() throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(datasetOffset);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return in;
    }
}
