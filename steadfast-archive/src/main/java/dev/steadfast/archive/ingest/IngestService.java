package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.DuplicatePolicy;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.StoreResult.Outcome;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.FileMetaBuilder;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.dicom.io.RecordingInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Receives instances (the C-STORE and STOW-RS paths) and acknowledges each only once it is
 * durable in storage and recorded in the index.
 *
 * <p>The incoming data set is parsed up to Pixel Data while it streams; the parsed bytes and
 * then the rest of the stream, untouched, go to storage behind a fresh File Meta Information
 * group, so the stored file holds the data set bit for bit as received. Checksums are computed
 * on the way. A failure at any step leaves no file and no index row.
 */
public final class IngestService {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    private static final int LOCK_STRIPES = 64;

    private final Storage storage;
    private final Index index;
    private final IngestConfig config;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final DeferredIndexing deferred;
    private final GroupCommit groupCommit;

    public IngestService(Storage storage, Index index, IngestConfig config, Clock clock) {
        this(storage, index, config, clock, null);
    }

    /**
     * @param deferred where instances go while the index is down (the ingest journal); null to
     *                 fail stores instead
     */
    public IngestService(Storage storage, Index index, IngestConfig config, Clock clock, DeferredIndexing deferred) {
        this.storage = storage;
        this.index = index;
        this.config = config;
        this.clock = clock;
        this.deferred = deferred;
        this.groupCommit = new GroupCommit(index);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public IngestService(Storage storage, Index index, IngestConfig config) {
        this(storage, index, config, Clock.systemUTC());
    }

    /**
     * Stores a bare data set, as DIMSE C-STORE delivers it.
     *
     * @param datasetStream      the data set bytes, read to their end (not closed)
     * @param transferSyntaxUid  the syntax they are encoded in (negotiated for the presentation context)
     * @param callingAe          who sent it, recorded with the instance; may be null
     */
    public StoreResult store(InputStream datasetStream, String transferSyntaxUid, String callingAe)
            throws IngestException {
        RecordingInputStream capture = new RecordingInputStream(datasetStream);
        Dataset header = parseHeader(capture, transferSyntaxUid);
        String studyUid = required(header, Tag.StudyInstanceUID, "Study Instance UID");
        String seriesUid = required(header, Tag.SeriesInstanceUID, "Series Instance UID");
        String sopUid = required(header, Tag.SOPInstanceUID, "SOP Instance UID");
        String sopClassUid = IndexedAttributes.uid(header, Tag.SOPClassUID);
        StorageKey key = StorageKey.of(studyUid, seriesUid, sopUid);

        byte[] meta = fileMeta(header, transferSyntaxUid, callingAe);
        MessageDigest datasetDigest = sha256();
        InputStream dataset = new DigestInputStream(capture.replay(), datasetDigest);
        InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(meta), new InputFailureGuard(dataset));

        ReentrantLock lock = locks[Math.floorMod(sopUid.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            boolean defer = deferred != null && deferred.deferring();
            Optional<StoredInstance> existing = Optional.empty();
            if (!defer) {
                try {
                    existing = findExisting(sopUid);
                } catch (IngestException e) {
                    if (deferred == null || !(e.getCause() instanceof IndexException ie)) {
                        throw e;
                    }
                    deferred.indexFailed(ie);
                    defer = true;
                }
            }
            try (Storage.Staged staged = storage.stage(key, part10)) {
                String datasetSha = HexFormat.of().formatHex(datasetDigest.digest());
                if (existing.isPresent()) {
                    InstanceRecord old = existing.get().record();
                    if (old.datasetSha256().equals(datasetSha) && old.transferSyntax().equals(transferSyntaxUid)
                            && old.storageKey().equals(key.path())) {
                        return result(Outcome.IDENTICAL_DUPLICATE, sopClassUid, sopUid, studyUid, seriesUid,
                                new StorageKey(old.storageKey()), old.sha256(), old.size());
                    }
                    if (config.onDifferentDuplicate() == DuplicatePolicy.KEEP_FIRST) {
                        return result(Outcome.KEPT_FIRST, sopClassUid, sopUid, existing.get().studyUid(),
                                existing.get().seriesUid(), new StorageKey(old.storageKey()), old.sha256(), old.size());
                    }
                    if (config.onDifferentDuplicate() == DuplicatePolicy.REJECT) {
                        throw new IngestException(IngestException.Kind.DUPLICATE_REJECTED,
                                "instance already stored with different content; policy is to reject", Tag.SOPInstanceUID,
                                null);
                    }
                }
                if (defer && config.onDifferentDuplicate() != DuplicatePolicy.REPLACE && storage.exists(key)) {
                    return keptWhileDeferred(key, staged, sopClassUid, sopUid, studyUid, seriesUid);
                }
                StoredObject stored = staged.commit();
                InstanceRecord record = new InstanceRecord(sopUid, sopClassUid,
                        IndexedAttributes.integer(header, Tag.InstanceNumber), transferSyntaxUid, key.path(),
                        stored.length(), stored.sha256(), datasetSha, clock.millis(), callingAe, Metadata.encode(header));
                if (defer) {
                    journal(record);
                } else {
                    recordInIndex(header, record, existing.orElse(null), key);
                }
                return result(existing.isPresent() ? Outcome.REPLACED : Outcome.STORED, sopClassUid, sopUid, studyUid,
                        seriesUid, key, stored.sha256(), stored.length());
            }
        } catch (InputFailure e) {
            throw new IngestException(IngestException.Kind.INPUT_FAILURE,
                    "the data set stream broke before its end: " + e.getCause().getMessage(), e.getCause());
        } catch (StorageException e) {
            throw new IngestException(IngestException.Kind.OUT_OF_RESOURCES, "storage cannot take the instance: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.OUT_OF_RESOURCES, "storage failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Index transactions and instances committed by ingest so far (group commit), for tests and metrics. */
    public IndexCommitStats indexCommitStats() {
        GroupCommit.Stats s = groupCommit.stats();
        return new IndexCommitStats(s.transactions(), s.instances(), s.largestBatch(), s.waiting());
    }

    /**
     * @param transactions index transactions ingest committed
     * @param instances    instances recorded in them
     * @param largestBatch most instances in one transaction
     * @param waiting      stores waiting for their index commit now
     */
    public record IndexCommitStats(long transactions, long instances, int largestBatch, int waiting) {}

    /**
     * Stores a Part 10 file (STOW-RS, import): its File Meta Information gives the transfer
     * syntax (detected when the file has none) and is replaced by a fresh one.
     */
    public StoreResult storePart10(InputStream file, String callingAe) throws IngestException {
        BufferedInputStream in = new BufferedInputStream(file, 64 * 1024);
        String ts;
        try {
            FileMeta meta = DicomReader.readFileMeta(in);
            ts = meta.transferSyntaxUid();
            if (ts == null || ts.isBlank()) {
                ts = detectSyntax(in);
            }
            ts = ts.strip().replace("\0", "");
        } catch (DicomParseException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot parse the File Meta Information: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.INPUT_FAILURE, "cannot read the file: " + e.getMessage(), e);
        }
        return store(in, ts, callingAe);
    }

    private Optional<StoredInstance> findExisting(String sopUid) throws IngestException {
        try {
            return index.read(tx -> tx.instances().find(sopUid));
        } catch (IndexException e) {
            throw new IngestException(IngestException.Kind.INDEX_FAILURE, "index unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Commits the index transaction. On failure, with a journal the instance is journaled (its
     * bytes are durable: it is acknowledged); without one, what this call made visible in
     * storage is removed and the store fails.
     */
    private void recordInIndex(Dataset header, InstanceRecord record, StoredInstance existing, StorageKey key)
            throws IngestException, IOException {
        Optional<InstanceRecord> movedAway;
        try {
            movedAway = groupCommit.record(header, record); // returns once the transaction holding it committed
        } catch (IndexException e) {
            if (deferred != null) {
                deferred.indexFailed(e);
                journal(record);
                return;
            }
            if (existing == null || !existing.record().storageKey().equals(key.path())) {
                storage.delete(key);
            } else {
                log.error("index failed after instance {} was replaced in storage; stored bytes now differ from the"
                        + " index until the next ingest or reindex", key);
            }
            throw new IngestException(IngestException.Kind.INDEX_FAILURE, "index unavailable: " + e.getMessage(), e);
        }
        if (movedAway.isPresent()) {
            storage.delete(new StorageKey(movedAway.get().storageKey()));
        }
    }

    private void journal(InstanceRecord record) throws IngestException {
        try {
            deferred.defer(record);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.INDEX_FAILURE, "neither the index nor the ingest journal"
                    + " can record the instance: " + e.getMessage(), e);
        }
    }

    /** Index down, an object already at the key, policy not REPLACE: keep what is stored. */
    private StoreResult keptWhileDeferred(StorageKey key, Storage.Staged staged, String sopClassUid, String sopUid,
                                          String studyUid, String seriesUid) throws IOException, IngestException {
        Optional<String> stored = storage.recordedSha256(key);
        if (stored.isPresent() && stored.get().equals(staged.sha256())) {
            return result(Outcome.IDENTICAL_DUPLICATE, sopClassUid, sopUid, studyUid, seriesUid, key, stored.get(),
                    staged.length());
        }
        if (config.onDifferentDuplicate() == DuplicatePolicy.REJECT) {
            throw new IngestException(IngestException.Kind.DUPLICATE_REJECTED,
                    "instance already stored with different content; policy is to reject", Tag.SOPInstanceUID, null);
        }
        return result(Outcome.KEPT_FIRST, sopClassUid, sopUid, studyUid, seriesUid, key, stored.orElse(null), -1);
    }

    private static Dataset parseHeader(RecordingInputStream capture, String transferSyntaxUid) throws IngestException {
        if (transferSyntaxUid == null || transferSyntaxUid.isBlank()) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "no transfer syntax given", null);
        }
        try {
            return DicomReader.readDataset(capture, transferSyntaxUid, ReadOptions.headerOnly());
        } catch (DicomParseException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot parse the data set: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.INPUT_FAILURE, "the data set stream broke: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot parse the data set: " + e, e);
        }
    }

    private static String required(Dataset ds, int tag, String name) throws IngestException {
        String v = IndexedAttributes.uid(ds, tag);
        if (v == null || v.isEmpty()) {
            throw new IngestException(IngestException.Kind.MISSING_ATTRIBUTE, name + " " + Tag.toString(tag)
                    + " is missing or empty", tag, null);
        }
        return v;
    }

    private static byte[] fileMeta(Dataset header, String ts, String callingAe) throws IngestException {
        try {
            Dataset meta = FileMetaBuilder.build(header, ts, callingAe);
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            // An empty data set after the meta group: the syntax given here only encodes that (nothing).
            DicomWriter.writeFile(out, meta, new Dataset(), UID.ExplicitVRLittleEndian);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new IngestException(IngestException.Kind.CANNOT_UNDERSTAND, "cannot build File Meta Information: "
                    + e.getMessage(), e);
        }
    }

    /** Guesses the syntax of a data set without meta information from its first element header. */
    private static String detectSyntax(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] b = in.readNBytes(8);
        in.reset();
        if (b.length < 8) {
            throw new DicomParseException("too short for a DICOM data set (" + b.length + " bytes)", 0);
        }
        boolean vrAhead = VR.ofCode(((b[4] & 0xFF) << 8) | (b[5] & 0xFF)) != null;
        int groupLE = (b[0] & 0xFF) | ((b[1] & 0xFF) << 8);
        int groupBE = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        if (vrAhead) {
            return groupLE <= 0x00FF || groupBE > 0x00FF ? UID.ExplicitVRLittleEndian : UID.ExplicitVRBigEndian;
        }
        return UID.ImplicitVRLittleEndian;
    }

    private static StoreResult result(Outcome outcome, String sopClass, String sop, String study, String series,
                                      StorageKey key, String sha, long size) {
        return new StoreResult(outcome, sopClass, sop, study, series, key, sha, size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks failures of the incoming stream so they are not taken for storage failures. */
    private static final class InputFailure extends IOException {
        InputFailure(IOException cause) {
            super(cause);
        }
    }

    private static final class InputFailureGuard extends java.io.FilterInputStream {
        InputFailureGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw new InputFailure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw new InputFailure(e);
            }
        }
    }
}
