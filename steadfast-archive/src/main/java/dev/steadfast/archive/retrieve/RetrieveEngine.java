package dev.steadfast.archive.retrieve;

import dev.steadfast.archive.config.RetrieveConfig;
import dev.steadfast.archive.config.RetrieveConfig.Verify;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomReader;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The one retrieve engine behind C-MOVE, C-GET, WADO-RS and WADO-URI: finds the stored
 * instances a request names and opens their bytes, refusing to pass on bytes whose checksum
 * no longer matches what was acknowledged.
 */
public final class RetrieveEngine {
    private static final int COPY_BUFFER = 256 * 1024;
    private final Index index;
    private final Storage storage;
    private final RetrieveConfig config;
    private final VerifiedCopies verified;
    private final RemoteCopies remote;

    public RetrieveEngine(Index index, Storage storage) {
        this(index, storage, RetrieveConfig.DEFAULT);
    }

    public RetrieveEngine(Index index, Storage storage, RetrieveConfig config) {
        this(index, storage, config, RemoteCopies.NONE);
    }

    /** With a peer site to fetch from when a request that names its study finds nothing here (issue 17). */
    public RetrieveEngine(Index index, Storage storage, RetrieveConfig config, RemoteCopies remote) {
        this.remote = remote;
        this.index = index;
        this.storage = storage;
        this.config = config;
        this.verified = new VerifiedCopies(config.rememberedCopies());
    }

    /**
     * The instances named by a study, optionally narrowed to series and then to SOP instances.
     * Empty lists mean "all at that level"; unknown UIDs simply match nothing. While the index
     * is down, requests that name their study are answered from storage alone.
     */
    public List<StoredInstance> locate(RetrieveRequest request) {
        List<StoredInstance> found = locateHere(request);
        if (found.isEmpty() && request.studyUid() != null && remote != RemoteCopies.NONE && remote.fetch(request) > 0) {
            found = locateHere(request); // fetched from the peer site and stored through ingest
        }
        return found;
    }

    /** As {@link #locate}, never asking a peer site (reconcile, which compares with the peer itself). */
    public List<StoredInstance> locateHere(RetrieveRequest request) {
        try {
            return locateInIndex(request);
        } catch (IndexException e) {
            if (!e.isTransient()) {
                throw e;
            }
            try {
                return StorageLocator.locate(storage, request); // the index is down: storage alone
            } catch (IOException io) {
                e.addSuppressed(io);
                throw e;
            }
        }
    }

    private List<StoredInstance> locateInIndex(RetrieveRequest request) {
        return index.read(tx -> {
            List<StoredInstance> out = new ArrayList<>();
            if (!request.sopInstanceUids().isEmpty()) {
                for (String sop : request.sopInstanceUids()) {
                    tx.instances().find(sop).filter(request::contains).ifPresent(out::add);
                }
            } else if (!request.seriesUids().isEmpty()) {
                for (String series : request.seriesUids()) {
                    for (StoredInstance i : tx.instances().ofSeries(series)) {
                        if (request.contains(i)) {
                            out.add(i);
                        }
                    }
                }
            } else if (request.studyUid() != null) {
                out.addAll(tx.instances().ofStudy(request.studyUid()));
            }
            return out;
        });
    }

    /**
     * The stored Part 10 object. Under {@link Verify#ALWAYS} and {@link Verify#FIRST_READ} the
     * stream fails with {@link CorruptInstanceException} at its end if the bytes are not the ones
     * acknowledged, so a reader that consumes it all never mistakes a damaged copy for a good one.
     */
    public InputStream open(StoredInstance instance) throws IOException {
        return open(instance, config.verify());
    }

    /**
     * Writes the stored object to {@code sink}, checked as {@link #open} checks it. Under
     * {@link Verify#FIRST_READ}, a copy already verified in full is read from its local file straight
     * into {@code buffer} (best a direct one) and its CRC32C checked there: an object that fits in the
     * buffer is checked before any of it is written, and on a mismatch goes through {@link #open}
     * instead (another replica, or a refusal by its SHA-256); a larger one is checked at its end
     * ({@link FileTransfer}). Everything else is copied from {@link #open} through {@code buffer}.
     */
    public void transfer(StoredInstance instance, ByteBuffer buffer, ByteSink sink) throws IOException {
        String sha256 = instance.record().sha256();
        VerifiedCopies.Known known = sha256 == null || config.verify() != Verify.FIRST_READ ? null : verified.get(sha256);
        if (known != null) {
            Optional<FileChannel> file;
            try {
                file = storage.openFile(new StorageKey(instance.record().storageKey()));
            } catch (java.nio.file.NoSuchFileException e) {
                file = Optional.empty(); // gone: open() below says so, or restores it from a peer site
            }
            if (file.isPresent()) {
                try (FileChannel ch = file.get()) {
                    if (FileTransfer.send(ch, known, buffer, sink, instance.record().sopUid())) {
                        return;
                    }
                }
            }
        }
        byte[] chunk = new byte[Math.min(COPY_BUFFER, buffer.capacity())];
        try (InputStream in = open(instance)) {
            int n;
            while ((n = in.read(chunk, 0, chunk.length)) >= 0) {
                buffer.clear();
                buffer.put(chunk, 0, n).flip();
                sink.write(buffer);
            }
        }
    }

    /**
     * Reads the stored object through the same check {@link #transfer} applies, sending nothing, so a
     * caller can tell before its answer starts whether the object can be sent (WADO-RS names what
     * it leaves out in its headers). Throws {@link CorruptInstanceException} (or a storage failure)
     * when no good copy can be read, {@link java.nio.file.NoSuchFileException} when none is there.
     * Under {@link Verify#NEVER} only the object's presence is checked. Cost under
     * {@link Verify#FIRST_READ}: one more read of the object, with its CRC32C (or, on its first
     * read, the SHA-256 that read takes anyway); the send that follows is then a CRC32C pass.
     */
    public void check(StoredInstance instance, ByteBuffer buffer) throws IOException {
        StorageKey key = new StorageKey(instance.record().storageKey());
        if (instance.record().sha256() == null || config.verify() == Verify.NEVER) {
            if (!storage.exists(key) && !remote.restore(instance)) {
                throw new java.nio.file.NoSuchFileException(key.path());
            }
            return;
        }
        ByteSink discard = b -> b.position(b.limit());
        try {
            transfer(instance, buffer, discard);
        } catch (CorruptInstanceException e) {
            // A larger object whose local copy failed its CRC32C: the checked read falls over to a
            // good replica (and queues the bad one for repair), or fails for good.
            try (InputStream in = open(instance)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    /**
     * Reads the whole stored object against its recorded SHA-256, whatever the policy (storage
     * commitment promises exactly that); throws {@link CorruptInstanceException} if it differs.
     */
    public void verifyFully(StoredInstance instance) throws IOException {
        try (InputStream in = open(instance, Verify.ALWAYS)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private InputStream open(StoredInstance instance, Verify verify) throws IOException {
        InputStream raw;
        try {
            raw = storage.open(new StorageKey(instance.record().storageKey()));
        } catch (java.nio.file.NoSuchFileException e) {
            if (!remote.restore(instance)) { // a peer site's identical copy, put back under the same key
                throw e;
            }
            raw = storage.open(new StorageKey(instance.record().storageKey()));
        }
        String sha256 = instance.record().sha256();
        String sop = instance.record().sopUid();
        if (sha256 == null || verify == Verify.NEVER) {
            return raw;
        }
        if (verify == Verify.FIRST_READ) {
            VerifiedCopies.Known known = verified.get(sha256);
            if (known != null) {
                return new CrcCheckingStream(raw, known, sop);
            }
            return new VerifyingStream(raw, sha256, sop, verified);
        }
        return new VerifyingStream(raw, sha256, sop, null);
    }

    /** The stored header (everything but bulk data), parsed from the index without touching storage. */
    public Dataset metadata(StoredInstance instance) throws IOException {
        byte[] header = instance.record().metadata();
        if (header == null) {
            return new Dataset();
        }
        return DicomReader.readDataset(new ByteArrayInputStream(header), UID.ExplicitVRLittleEndian);
    }

    /** SHA-256 over the whole read; when {@code remember} is set, a verified read is remembered with its CRC32C. */
    private static final class VerifyingStream extends ReadThroughStream {
        private final MessageDigest digest;
        private final String expected;
        private final String sopUid;
        private final VerifiedCopies remember;
        private final CRC32C crc;
        private long length;
        private boolean checked;

        VerifyingStream(InputStream in, String expectedSha256, String sopUid, VerifiedCopies remember) {
            super(in);
            this.expected = expectedSha256;
            this.sopUid = sopUid;
            this.remember = remember;
            this.crc = remember == null ? null : new CRC32C();
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                if (crc != null) {
                    crc.update(b, off, n);
                    length += n;
                }
            } else if (n < 0 && !checked) {
                checked = true;
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!expected.equalsIgnoreCase(actual)) {
                    throw new CorruptInstanceException(sopUid, expected, actual);
                }
                if (remember != null) {
                    remember.put(expected, length, (int) crc.getValue());
                }
            }
            return n;
        }
    }

    /** The CRC32C and length of a copy verified earlier in full (see {@link Verify#FIRST_READ}). */
    private static final class CrcCheckingStream extends ReadThroughStream {
        private final VerifiedCopies.Known known;
        private final String sopUid;
        private final CRC32C crc = new CRC32C();
        private long length;
        private boolean checked;

        CrcCheckingStream(InputStream in, VerifiedCopies.Known known, String sopUid) {
            super(in);
            this.known = known;
            this.sopUid = sopUid;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                length += n;
            } else if (n < 0 && !checked) {
                checked = true;
                if (length != known.length() || (int) crc.getValue() != known.crc32c()) {
                    throw new CorruptInstanceException(sopUid, String.format("CRC32C %08x over %d bytes, expected %08x over %d"
                            + " (taken when the copy last matched its SHA-256)", (int) crc.getValue(), length, known.crc32c(), known.length()));
                }
            }
            return n;
        }
    }

    /** A stream that must see every byte: single-byte reads and skips go through {@code read(byte[], int, int)}. */
    private abstract static class ReadThroughStream extends FilterInputStream {
        ReadThroughStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public abstract int read(byte[] b, int off, int len) throws IOException;

        /** Larger reads than InputStream's 16 KiB: fewer calls through the checksum and the response stream. */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            byte[] buf = new byte[COPY_BUFFER];
            long total = 0;
            int n;
            while ((n = read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
                total += n;
            }
            return total;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would bypass the digest: read through instead.
            byte[] sink = new byte[8192];
            long left = n;
            while (left > 0) {
                int r = read(sink, 0, (int) Math.min(sink.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - left;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
