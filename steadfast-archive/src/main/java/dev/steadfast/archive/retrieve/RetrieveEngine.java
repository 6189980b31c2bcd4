package dev.steadfast.archive.retrieve;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one retrieve engine behind C-MOVE, C-GET, WADO-RS and WADO-URI: finds the stored
 * instances a request names and opens their bytes, refusing to pass on bytes whose checksum
 * no longer matches what was acknowledged.
 */
public final class RetrieveEngine {
    private final Index index;
    private final Storage storage;

    public RetrieveEngine(Index index, Storage storage) {
        this.index = index;
        this.storage = storage;
    }

    /**
     * The instances named by a study, optionally narrowed to series and then to SOP instances.
     * Empty lists mean "all at that level"; unknown UIDs simply match nothing. While the index
     * is down, requests that name their study are answered from storage alone.
     */
    public List<StoredInstance> locate(RetrieveRequest request) {
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
     * The stored Part 10 object. The stream fails with {@link CorruptInstanceException} at its end
     * if the bytes differ from the recorded SHA-256, so a reader that consumes it all never
     * mistakes a damaged copy for a good one.
     */
    public InputStream open(StoredInstance instance) throws IOException {
        InputStream raw = storage.open(new StorageKey(instance.record().storageKey()));
        return new VerifyingStream(raw, instance.record().sha256(), instance.record().sopUid());
    }

    /** The stored header (everything but bulk data), parsed from the index without touching storage. */
    public Dataset metadata(StoredInstance instance) throws IOException {
        byte[] header = instance.record().metadata();
        if (header == null) {
            return new Dataset();
        }
        return DicomReader.readDataset(new ByteArrayInputStream(header), UID.ExplicitVRLittleEndian);
    }

    private static final class VerifyingStream extends FilterInputStream {
        private final MessageDigest digest;
        private final String expected;
        private final String sopUid;
        private boolean checked;

        VerifyingStream(InputStream in, String expectedSha256, String sopUid) {
            super(in);
            this.expected = expectedSha256;
            this.sopUid = sopUid;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
            } else if (n < 0 && !checked) {
                checked = true;
                String actual = HexFormat.of().formatHex(digest.digest());
                if (expected != null && !expected.equalsIgnoreCase(actual)) {
                    throw new CorruptInstanceException(sopUid, expected, actual);
                }
            }
            return n;
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
