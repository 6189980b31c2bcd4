package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.server.imaging.LosslessTranscoding;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
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
     * The bytes one of a retrieve's sources read and checked in {@link #verify()}, until its send.
     * Shared by the sources of one retrieve; each thread that sends them (one, or one per association
     * of a C-MOVE over several) has its own slot and runs its sub-operations one after the other, so
     * at most one object per thread is held however many are never sent. The object stays in the
     * buffer it was read and checked in, reused from one sub-operation to the next (issue 19: no
     * array per object, and one copy less on the way to the socket). A send on another thread than
     * its check finds nothing held and reads (and checks) the stored copy again.
     */
    public static final class Held {
        private final boolean direct;
        private final java.util.Map<Thread, Slot> slots = new java.util.HashMap<>();

        private static final class Slot {
            StoredInstanceSource owner;
            ByteBuffer bytes;
            ByteBuffer buffer;
        }

        /** For one source alone (forwarding): a heap buffer. */
        public Held() {
            this(false);
        }

        private Held(boolean direct) {
            this.direct = direct;
        }

        /**
         * For the sources of one retrieve: a direct buffer per sending thread (taken at its first
         * read, as large as the largest object held, at most {@link #HELD_LIMIT}; freed with the
         * retrieve) that files are read into without a copy through a temporary one.
         */
        public static Held withDirectBuffer() {
            return new Held(true);
        }

        private Slot slot() {
            return slots.computeIfAbsent(Thread.currentThread(), t -> new Slot());
        }

        /** This thread's read buffer, with room for {@code size} bytes; what it held before is dropped. */
        synchronized ByteBuffer buffer(long size) {
            Slot s = slot();
            s.owner = null;
            s.bytes = null;
            int want = (int) Math.max(256 * 1024, size);
            if (s.buffer == null || s.buffer.capacity() < want) {
                int capacity = (want + 0xFFFF) & ~0xFFFF; // whole 64 KiB, so slightly larger objects reuse it
                s.buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
            }
            return s.buffer;
        }

        synchronized void put(StoredInstanceSource source, ByteBuffer b) {
            Slot s = slot();
            s.owner = b == null ? null : source;
            s.bytes = b;
        }

        /** The object {@code source} verified on this thread (position 0 to its size), once; null when another source's (or none) is held. */
        synchronized ByteBuffer take(StoredInstanceSource source) {
            Slot s = slots.get(Thread.currentThread());
            ByteBuffer b = s != null && s.owner == source ? s.bytes : null;
            if (b != null) {
                s.owner = null;
                s.bytes = null;
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
            ByteBuffer bytes = readChecked();
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

    /**
     * The whole object, checked, from position 0 to its size; null when it is larger than held
     * objects or not of its recorded size. A copy verified before arrives in one piece in the held
     * buffer itself (read and CRC32C-checked there) and stays there; any other read arrives in
     * pieces and is gathered into an array.
     */
    private ByteBuffer readChecked() throws IOException {
        long size = instance.record().size();
        if (size <= 0 || size > HELD_LIMIT) {
            return null;
        }
        ByteBuffer buf = held.buffer(size);
        boolean[] inPlace = {false};
        byte[][] gathered = {null};
        int[] at = {0};
        boolean[] overflow = {false};
        try {
            engine.transfer(instance, buf, b -> {
                int n = b.remaining();
                if (at[0] == 0 && b == buf && b.position() == 0 && n == size) {
                    inPlace[0] = true; // the whole object, checked where it lies
                } else {
                    if (gathered[0] == null) {
                        gathered[0] = new byte[(int) size];
                    }
                    if (overflow[0] || at[0] + n > size) {
                        overflow[0] = true; // not the recorded size: the plain checked read decides
                        b.position(b.limit());
                        return;
                    }
                    b.get(gathered[0], at[0], n);
                }
                at[0] += n;
                b.position(b.limit());
            });
        } catch (dev.steadfast.archive.retrieve.CorruptInstanceException e) {
            return null; // a local copy that failed its CRC32C after part of it was read: the checked read falls over or refuses
        }
        if (overflow[0] || at[0] != size) {
            return null;
        }
        return inPlace[0] ? buf.duplicate().position(0).limit((int) size) : ByteBuffer.wrap(gathered[0]);
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
        ByteBuffer verified = held.take(this); // sent once; a later send reads (and checks) the stored copy again
        InputStream in = verified != null ? new BufferInputStream(verified) : engine.open(instance);
        try {
            skipFileMeta(in);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The data set of the object {@link #verify()} read and checked, where it lies, once; else null. */
    @Override
    public ByteBuffer heldDataset() throws IOException {
        ByteBuffer verified = held.take(this);
        if (verified == null) {
            return null;
        }
        BufferInputStream in = new BufferInputStream(verified);
        skipFileMeta(in);
        return in.buffer;
    }

    /** Reads a buffer from its position, which it advances: what is left after the read is the rest. */
    private static final class BufferInputStream extends InputStream {
        final ByteBuffer buffer;

        BufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) {
            int k = (int) Math.max(0, Math.min(n, buffer.remaining()));
            buffer.position(buffer.position() + k);
            return k;
        }

        @Override
        public int available() {
            return buffer.remaining();
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
