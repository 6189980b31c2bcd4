package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.net.dimse.StoreSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored instance as a C-STORE sub-operation sends it: the data set bytes after the File
 * Meta Information of the stored Part 10 object, exactly as they were received.
 */
final class StoredInstanceSource implements StoreSource {
    private final RetrieveEngine engine;
    private final StoredInstance instance;

    StoredInstanceSource(RetrieveEngine engine, StoredInstance instance) {
        this.engine = engine;
        this.instance = instance;
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
