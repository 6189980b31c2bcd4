package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads back what ingest stored (File Meta Information written by ingest, then the data set as
 * received) into the record the index keeps: for reindex from storage alone, and for retrieval
 * by UID while the index is down.
 */
public final class StoredObjects {
    private StoredObjects() {}

    /** A stored instance as read from storage. */
    public record Parsed(String studyUid, String seriesUid, InstanceRecord record, Dataset header) {}

    /**
     * Reads the whole object once: both checksums (object and data set) and the header.
     *
     * @param receivedAt when it was stored (the target's modification time)
     */
    public static Parsed read(StorageKey key, InputStream object, long receivedAt) throws IOException {
        MessageDigest whole = sha256();
        MessageDigest dataset = sha256();
        CountingDigestStream counted = new CountingDigestStream(object, whole);
        BufferedInputStream in = new BufferedInputStream(counted, 64 * 1024);
        FileMeta meta = DicomReader.readFileMeta(in);
        String ts = meta.transferSyntaxUid();
        if (ts == null || ts.isBlank()) {
            throw new IOException(key + " has no File Meta Information: not written by Steadfast ingest");
        }
        ts = ts.strip().replace("\0", "");
        InputStream ds = new DigestInputStream(in, dataset);
        DicomReader.Header header = DicomReader.readHeader(ds, ts, ReadOptions.headerOnly());
        ds.transferTo(OutputStream.nullOutputStream());
        return parsed(key, header, meta, ts, counted.count, HexFormat.of().formatHex(whole.digest()),
                HexFormat.of().formatHex(dataset.digest()), receivedAt);
    }

    /**
     * Reads the header only (stops at Pixel Data); checksums are taken as given.
     *
     * @param sha256 the object's recorded checksum, null when unknown
     */
    public static Parsed readHeader(StorageKey key, InputStream object, long size, String sha256, long receivedAt)
            throws IOException {
        BufferedInputStream in = new BufferedInputStream(object, 64 * 1024);
        FileMeta meta = DicomReader.readFileMeta(in);
        String ts = meta.transferSyntaxUid() == null ? "" : meta.transferSyntaxUid().strip().replace("\0", "");
        DicomReader.Header header = DicomReader.readHeader(in, ts, ReadOptions.headerOnly());
        return parsed(key, header, meta, ts, size, sha256, null, receivedAt);
    }

    private static Parsed parsed(StorageKey key, DicomReader.Header read, FileMeta meta, String ts, long size,
                                 String sha, String datasetSha, long receivedAt) throws IOException {
        Dataset header = read.dataset();
        String study = IndexedAttributes.uid(header, Tag.StudyInstanceUID);
        String series = IndexedAttributes.uid(header, Tag.SeriesInstanceUID);
        String sop = IndexedAttributes.uid(header, Tag.SOPInstanceUID);
        if (study == null || series == null || sop == null || !StorageKey.of(study, series, sop).equals(key)) {
            throw new IOException(key + " does not hold the instance its key names");
        }
        String ae = meta.attributes().getString(Tag.SourceApplicationEntityTitle);
        InstanceRecord r = new InstanceRecord(sop, IndexedAttributes.uid(header, Tag.SOPClassUID),
                IndexedAttributes.integer(header, Tag.InstanceNumber), ts, key.path(), size, sha, datasetSha,
                receivedAt, ae == null ? null : ae.strip(), Metadata.encode(header), read.pixelDataFollows());
        return new Parsed(study, series, r, header);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingDigestStream extends DigestInputStream {
        long count;

        CountingDigestStream(InputStream in, MessageDigest md) {
            super(in, md);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
