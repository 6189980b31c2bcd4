package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
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
import java.util.ArrayList;
import java.util.List;

/**
 * A file sent as it is: the bytes after its meta information go out unchanged. Its identity is
 * the data set's SOP Class and Instance UIDs, as dcmtk's storescu takes them: a receiver checks
 * the C-STORE request against the data set (dcmtk's storescp refuses a mismatch with A900), and
 * the meta information is only a copy that writers sometimes get wrong.
 */
record FileStoreSource(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid, long datasetOffset,
                       List<String> warnings) implements StoreSource {

    /** Just past SOP Instance UID (0008,0018): the header needed, never the pixel data. */
    private static final int IDENTITY_END = Tag.SOPInstanceUID + 1;

    static FileStoreSource open(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 16384)) {
            FileMeta meta = DicomReader.readFileMeta(in);
            String ts = meta.transferSyntaxUid();
            List<String> warnings = new ArrayList<>(2);
            Dataset header;
            if (ts == null) {
                // No meta information: the reader detects the syntax from the first element.
                DicomFile f = DicomReader.readFile(file, ReadOptions.DEFAULT.withStopBeforeTag(IDENTITY_END));
                ts = f.transferSyntaxUid();
                header = f.dataset();
            } else {
                try {
                    header = DicomReader.readDataset(in, ts, ReadOptions.DEFAULT.withStopBeforeTag(IDENTITY_END));
                } catch (IOException | RuntimeException e) {
                    // Sent as it is all the same (the receiver judges it), under the meta's identity.
                    warnings.add("the data set's header cannot be read (" + e.getMessage() + "); the File Meta Information's UIDs are used");
                    header = new Dataset();
                }
            }
            String cuid = identity(header.getString(Tag.SOPClassUID), meta.mediaStorageSopClassUid(), "SOP Class UID",
                    "(0002,0002)", warnings);
            String iuid = identity(header.getString(Tag.SOPInstanceUID), meta.mediaStorageSopInstanceUid(), "SOP Instance UID",
                    "(0002,0003)", warnings);
            if (cuid == null || iuid == null) {
                throw new DicomParseException("no SOP Class or SOP Instance UID in " + file, 0);
            }
            return new FileStoreSource(file, cuid, iuid, ts, meta.datasetOffset(), List.copyOf(warnings));
        }
    }

    /** The data set's UID, else the meta information's; notes when both exist and differ. */
    private static String identity(String dataset, String meta, String name, String metaTag, List<String> warnings) {
        dataset = blankToNull(dataset);
        meta = blankToNull(meta);
        if (dataset != null && meta != null && !dataset.equals(meta)) {
            warnings.add("the File Meta Information's " + metaTag + " " + meta + " differs from the data set's " + name + " "
                    + dataset + "; the data set's is used");
        }
        return dataset != null ? dataset : meta;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
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
