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
    /** Objects up to this size are held in memory from {@link #verify()} to their send (a CT slice is 0.5 MB). */
    static final int HELD_LIMIT = 8 * 1024 * 1024;
    private final Held held;

    /**
     * The bytes one of a retrieve's sources read and checked in {@link #verify()}, until its
     * {@link #openDataset()} sends them. Shared by the sources of one retrieve, whose sub-operations
     * run one after the other, so at most one object is held however many are never sent.
     */
    public static final class Held {
        private StoredInstanceSource owner;
        private byte[] bytes;
        private final boolean direct;
        private java.nio.ByteBuffer buffer;

        /** For one source alone (forwarding): reads go through a small heap buffer. */
        public Held() {
            this(false);
        }

        private Held(boolean direct) {
            this.direct = direct;
        }

        /**
         * For the sources of one retrieve: one direct buffer (256 KiB, taken at the first read, freed
         * with the retrieve) that files are read into without a copy through a temporary one.
         */
        public static Held withDirectBuffer() {
            return new Held(true);
        }

        synchronized java.nio.ByteBuffer buffer() {
            if (buffer == null) {
                buffer = direct ? java.nio.ByteBuffer.allocateDirect(256 * 1024) : java.nio.ByteBuffer.allocate(256 * 1024);
            }
            return buffer;
        }

        synchronized void put(StoredInstanceSource source, byte[] b) {
            owner = b == null ? null : source;
            bytes = b;
        }

        /** The bytes {@code source} verified, once; null when another source's (or none) are held. */
        synchronized byte[] take(StoredInstanceSource source) {
            byte[] b = owner == source ? bytes : null;
            if (b != null) {
                owner = null;
                bytes = null;
            }
            return b;
        }
    }

    public StoredInstanceSource(RetrieveEngine engine, StoredInstance instance, LosslessTranscoding transcoding) {
        this(engine, instance, transcoding, new Held());
    }

    /** One of a retrieve's sources, all sharing {@code held}. */
    public StoredInstanceSource(RetrieveEngine engine, StoredInstance instance, LosslessTranscoding transcoding, Held held) {
        this.held = held;
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
     * corrupt copy is never delivered, and the sub-operation counts as failed. An object of up to
     * {@link #HELD_LIMIT} bytes is kept as it was read and checked, and {@link #openDataset()} sends
     * those very bytes instead of reading the file a second time (issue 19: that second read and its
     * checksum were over a quarter of the sub-operation path's CPU); a larger one is read again when
     * sent, and checked again.
     * The held read goes through {@link RetrieveEngine#transfer}, as WADO-RS's does: a copy verified
     * before is read straight from its file and checked by its CRC32C, without the SHA-256 the
     * replica layer otherwise takes on every read when there are several storage targets; a
     * mismatch falls back to the checked read (another replica, or a refusal).
     */
    @Override
    public void verify() throws IOException {
        held.put(this, null);
        try {
            byte[] bytes = readChecked();
            if (bytes != null) {
                held.put(this, bytes);
                return;
            }
            try (InputStream in = engine.open(instance)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("not delivered: stored copy of {} failed its check: {}", sopInstanceUid(), e.getMessage());
            throw e;
        }
    }

    /** The whole object, checked; null when it is larger than held objects or not of its recorded size. */
    private byte[] readChecked() throws IOException {
        long size = instance.record().size();
        if (size <= 0 || size > HELD_LIMIT) {
            return null;
        }
        byte[] bytes = new byte[(int) size];
        int[] at = {0};
        boolean[] overflow = {false};
        try {
            engine.transfer(instance, held.buffer(), b -> {
                int n = b.remaining();
                if (overflow[0] || at[0] + n > bytes.length) {
                    overflow[0] = true; // not the recorded size: the plain checked read decides
                    b.position(b.limit());
                    return;
                }
                b.get(bytes, at[0], n);
                at[0] += n;
            });
        } catch (dev.steadfast.archive.retrieve.CorruptInstanceException e) {
            return null; // a local copy that failed its CRC32C after part of it was read: the checked read falls over or refuses
        }
        return overflow[0] || at[0] != bytes.length ? null : bytes;
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
        byte[] verified = held.take(this); // sent once; a later send reads (and checks) the stored copy again
        InputStream in = verified != null ? new ByteArrayInputStream(verified) : engine.open(instance);
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
