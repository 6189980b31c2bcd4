package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.imaging.LosslessTranscoding;
import java.io.ByteArrayInputStream;
import dev.steadfast.net.dimse.StoreSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stored instance as a C-STORE sub-operation sends it: the data set bytes after the File
 * Meta Information of the stored Part 10 object, exactly as they were received; or, when the
 * receiver cannot take the stored syntax, a lossless conversion by the imaging module.
 */
public final class StoredInstanceSource implements StoreSource {
    private static final Logger LOG = LoggerFactory.getLogger(StoredInstanceSource.class);

    private final RetrieveEngine engine;
    private final StoredInstance instance;
    private final LosslessTranscoding transcoding;

    public StoredInstanceSource(RetrieveEngine engine, StoredInstance instance, LosslessTranscoding transcoding) {
        this.engine = engine;
        this.instance = instance;
        this.transcoding = transcoding;
    }

    /**
     * The receiver refused the stored syntax: a lossless re-encoding, made now and held in memory
     * (so a failure is a failed sub-operation, not a broken association), or null.
     */
    @Override
    public StoreSource convertedTo(String ts) {
        if (!transcoding.canTranscode(transferSyntaxUid(), ts)) {
            return null;
        }
        try (InputStream in = openDataset()) {
            Dataset ds = DicomReader.readDataset(in, transferSyntaxUid());
            byte[] bytes = DicomWriter.encode(transcoding.transcode(ds, transferSyntaxUid(), ts), ts);
            String sopClass = sopClassUid();
            String sop = sopInstanceUid();
            return new StoreSource() {
                public String sopClassUid() {
                    return sopClass;
                }

                public String sopInstanceUid() {
                    return sop;
                }

                public String transferSyntaxUid() {
                    return ts;
                }

                public InputStream openDataset() {
                    return new ByteArrayInputStream(bytes);
                }
            };
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot convert {} from {} to {}: {}", sopInstanceUid(), transferSyntaxUid(), ts, e.toString());
            return null;
        }
    }

    /**
     * Reads the stored copy through against its recorded SHA-256 before anything is sent: a
     * corrupt copy is never delivered, and the sub-operation counts as failed.
     */
    @Override
    public void verify() throws IOException {
        try (InputStream in = engine.open(instance)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            LOG.error("not delivered: stored copy of {} failed its check: {}", sopInstanceUid(), e.getMessage());
            throw e;
        }
    }

    @Override
    public String sopClassUid() {
        return instance.record().sopClassUid();
    }

    @Override
    public String sopInstanceUid() {
        return instance.record().sopUid();
    }

    @Override
    public String transferSyntaxUid() {
        return instance.record().transferSyntax();
    }

    @Override
    public InputStream openDataset() throws IOException {
        InputStream in = engine.open(instance);
        try {
            skipFileMeta(in);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads through the preamble, "DICM" and the group 0002 (its length comes first: we wrote it). */
    static void skipFileMeta(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        d.skipNBytes(128);
        byte[] head = new byte[12];
        d.readFully(head);
        if (head[0] != 'D' || head[1] != 'I' || head[2] != 'C' || head[3] != 'M'
                || head[4] != 0x02 || head[5] != 0 || head[6] != 0 || head[7] != 0 || head[8] != 'U' || head[9] != 'L') {
            throw new DicomParseException("stored object does not start with File Meta Information Group Length", 128);
        }
        byte[] len = new byte[4];
        d.readFully(len);
        long groupLength = (len[0] & 0xFFL) | (len[1] & 0xFFL) << 8 | (len[2] & 0xFFL) << 16 | (len[3] & 0xFFL) << 24;
        d.skipNBytes(groupLength);
    }

    @Override
    public String toString() {
        return sopInstanceUid();
    }
}
