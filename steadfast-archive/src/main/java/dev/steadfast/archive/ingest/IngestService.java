package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.InstanceClaim;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.iocm.Rejection;
import dev.steadfast.archive.iocm.Rejections;
import dev.steadfast.archive.ingest.StoreResult.Outcome;
import dev.steadfast.archive.reindex.Unverified;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StoredObject;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Clock;
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
    static final int LOCK_STRIPES = 64; // package-private: tests keep concurrent stores on distinct stripes

    private final Storage storage;
    private final Index index;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final DeferredIndexing deferred;
    private final GroupCommit groupCommit;
    private final IndexedCommit indexedCommit;
    private final DuplicateDecision duplicates;
    /** Told of every new instance once it is acknowledged-ready (prior-study prefetch, issue 17); must only enqueue. */
    private volatile java.util.function.Consumer<StoreResult> onStored = r -> { };

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
        this.clock = clock;
        this.deferred = deferred;
        this.groupCommit = new GroupCommit(index);
        this.indexedCommit = new IndexedCommit(storage, groupCommit, deferred, clock);
        this.duplicates = new DuplicateDecision(config.onDifferentDuplicate());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Run after a rejection note is stored (IOCM: deletes the files of instances whose retention expired). */
    private volatile Runnable afterRejectionNote = () -> { };
    /** Where a large header's spill file goes (serve: its scratch folder under the data folder); null: java.io.tmpdir. */
    private volatile java.nio.file.Path temporaryFolder;

    /** Header spill files go to {@code folder} (a kill -9 leaves them there, and the next start removes them). */
    public void temporaryFolder(java.nio.file.Path folder) {
        this.temporaryFolder = folder;
    }

    /** Where temporary files of an arrival go (null: java.io.tmpdir); STOW-RS spools its bulk data parts there too. */
    public java.nio.file.Path temporaryFolder() {
        return temporaryFolder;
    }

    /** Sets what runs after a Key Object Selection document is stored (set once, at wiring). */
    public void afterRejectionNote(Runnable r) {
        this.afterRejectionNote = r == null ? () -> { } : r;
    }

    /** Sets who is told of each new instance (set once, at wiring; it must return at once). */
    public void onStored(java.util.function.Consumer<StoreResult> listener) {
        this.onStored = listener == null ? r -> { } : listener;
    }

    public IngestService(Storage storage, Index index, IngestConfig config) {
        this(storage, index, config, Clock.systemUTC());
    }

    /**
     * Stores a bare data set, as DIMSE C-STORE delivers it.
     *
     * <p>The network streams into a staged (temporary) object with no lock held, so a
     * slow sender delays no one, not even a sender of the same instance. Only the duplicate
     * decision, the storage commit (fsync, rename) and the index commit run under the lock of the SOP
     * Instance UID (on PostgreSQL also claimed across nodes, {@link Index#claim}): what is stored
     * and what the index says always agree.
     *
     * @param datasetStream      the data set bytes, read to their end (not closed)
     * @param transferSyntaxUid  the syntax they are encoded in (negotiated for the presentation context)
     * @param callingAe          who sent it, recorded with the instance; may be null
     */
    public StoreResult store(InputStream datasetStream, String transferSyntaxUid, String callingAe)
            throws IngestException {
        try (HeaderRecorder capture = new HeaderRecorder(datasetStream, temporaryFolder)) {
            StoreResult r = storeRecorded(capture, transferSyntaxUid, callingAe);
            if (r.outcome() == StoreResult.Outcome.STORED) {
                try {
                    onStored.accept(r);
                } catch (RuntimeException e) { // a follow-up never fails a store that succeeded
                    log.warn("after storing {}: {}", r.sopInstanceUid(), e.toString());
                }
                if (UID.KeyObjectSelectionDocumentStorage.equals(r.sopClassUid())) {
                    try {
                        afterRejectionNote.run(); // the note is committed: its files to delete are now listed
                    } catch (RuntimeException e) {
                        log.warn("after rejection note {}: {}", r.sopInstanceUid(), e.toString());
                    }
                }
            }
            return r;
        } catch (IOException e) { // closing: only the header's temporary file could not be deleted
            log.warn("could not delete a header spill file: {}", e.getMessage());
            throw new IngestException(IngestException.Kind.OUT_OF_RESOURCES, "temporary file: " + e.getMessage(), e);
        }
    }

    private StoreResult storeRecorded(HeaderRecorder capture, String transferSyntaxUid, String callingAe)
            throws IngestException {
        dev.steadfast.dicom.io.DicomReader.Header parsed = IncomingHeader.parse(capture, transferSyntaxUid);
        Dataset header = parsed.dataset();
        String studyUid = IncomingHeader.required(header, Tag.StudyInstanceUID, "Study Instance UID");
        String seriesUid = IncomingHeader.required(header, Tag.SeriesInstanceUID, "Series Instance UID");
        String sopUid = IncomingHeader.required(header, Tag.SOPInstanceUID, "SOP Instance UID");
        String sopClassUid = IndexedAttributes.uid(header, Tag.SOPClassUID);
        StorageKey key = StorageKey.of(studyUid, seriesUid, sopUid);

        byte[] meta = IncomingHeader.fileMeta(header, transferSyntaxUid, callingAe);
        try (InputStream replay = capture.replay()) {
            InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(meta), new InputFailureGuard(replay));
            // The network streams here, no lock held; the data set's digest is the object's tail after the meta.
            try (Storage.Staged staged = storage.stage(key, part10, meta.length)) {
                Arrival in = new Arrival(header, sopUid, sopClassUid, studyUid, seriesUid, key, transferSyntaxUid,
                        staged.tailSha256(), callingAe, staged,
                        parsed.pixelDataFollows());
                ReentrantLock lock = locks[Math.floorMod(sopUid.hashCode(), LOCK_STRIPES)];
                lock.lock();
                try {
                    return decideAndCommit(in);
                } finally {
                    lock.unlock();
                }
            }
        } catch (InputFailureGuard.InputFailure e) {
            throw new IngestException(IngestException.Kind.INPUT_FAILURE,
                    "the data set stream broke before its end: " + e.getCause().getMessage(), e.getCause());
        } catch (StorageException e) {
            throw new IngestException(IngestException.Kind.OUT_OF_RESOURCES, "storage cannot take the instance: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IngestException(IngestException.Kind.OUT_OF_RESOURCES, "storage failed: " + e.getMessage(), e);
        }
    }

    /**
     * Under the lock of the instance's UID (this process's, and on PostgreSQL the cluster's claim):
     * one index look-up, one decision, then the storage commit and the index commit (or the journal
     * while the index is down).
     */
    private StoreResult decideAndCommit(Arrival in) throws IngestException, IOException {
        if (deferred != null && deferred.deferring()) {
            return storeWhileDeferred(in);
        }
        InstanceClaim<Optional<Rejection>> claim;
        try {
            // PostgreSQL: the UID's lock across nodes, held to the index commit (issue 15). A new instance's
            // rejection (IOCM) is read in the claim's own transaction: one read per arrival, not two (issue 19).
            claim = index.claim(in.sopUid(), tx -> Rejections.refusing(tx, in.sopUid()));
        } catch (IndexException e) {
            if (deferred == null) {
                throw new IngestException(IngestException.Kind.INDEX_FAILURE, "index unavailable: " + e.getMessage(), e);
            }
            deferred.indexFailed(e);
            return storeWhileDeferred(in);
        }
        try (claim) {
            return decideClaimed(in, claim.current(), claim.whenAbsent());
        }
    }

    /** @param rejection when there is no row: the rejection that refuses the instance, if any */
    private StoreResult decideClaimed(Arrival in, Optional<StoredInstance> existing, Optional<Rejection> rejection)
            throws IngestException, IOException {
        if (existing.isEmpty()) {
            refuseRejected(rejection);
        }
        boolean replacesUnindexed = false;
        if (existing.isEmpty() && deferred != null) {
            Unindexed unindexed = keepUnindexedObject(in);
            if (unindexed.kept() != null) {
                return unindexed.kept();
            }
            replacesUnindexed = unindexed.replaced();
        }
        existing = verifiedIfPending(existing);
        DuplicateDecision.Version stored = existing.map(e -> new DuplicateDecision.Version(
                e.record().datasetSha256(), e.record().transferSyntax(), e.record().storageKey())).orElse(null);
        switch (duplicates.decide(in.sopUid(), stored, in.version(), in.callingAe())) {
            case IDENTICAL -> {
                InstanceRecord old = existing.orElseThrow().record();
                return in.result(Outcome.IDENTICAL_DUPLICATE, new StorageKey(old.storageKey()), old.sha256(),
                        old.size());
            }
            case KEEP_FIRST -> {
                StoredInstance old = existing.orElseThrow();
                return new StoreResult(Outcome.KEPT_FIRST, in.sopClassUid(), in.sopUid(), old.studyUid(),
                        old.seriesUid(), new StorageKey(old.record().storageKey()), old.record().sha256(),
                        old.record().size(), in.header().getString(Tag.PatientID), in.header().getString(Tag.PatientName));
            }
            case REJECT -> throw rejected();
            case NEW, REPLACE -> {
                StoredObject object = indexedCommit.commit(in, existing, replacesUnindexed);
                if (existing.isEmpty()) {
                    return in.result(Outcome.STORED, in.key(), object.sha256(), object.length());
                }
                duplicates.replaced(in.sopUid(), stored, in.version(), in.callingAe());
                return in.result(Outcome.REPLACED, in.key(), object.sha256(), object.length());
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * A row a header-only reindex left unverified has no data set checksum to compare with: its
     * stored bytes are read and verified now (rare: a re-send of a reindexed instance before the
     * scrub reached it), so an identical re-send is recognised as identical (issue 19).
     */
    private Optional<StoredInstance> verifiedIfPending(Optional<StoredInstance> existing) {
        if (existing.isEmpty() || !Unverified.is(existing.get().record())) {
            return existing;
        }
        StoredInstance e = existing.get();
        return Unverified.verifyNow(index, e.record(), storage).map(datasetSha -> {
            InstanceRecord r = e.record();
            return new StoredInstance(e.id(), e.seriesId(), e.seriesUid(), e.studyUid(), new InstanceRecord(r.sopUid(), r.sopClassUid(),
                    r.instanceNumber(), r.transferSyntax(), r.storageKey(), r.size(), r.sha256(), datasetSha,
                    r.receivedAt(), r.callingAe(), r.metadata(), r.pixelData()));
        }).or(() -> existing);
    }

    /**
     * IOCM (issue 18): an instance a rejection note rejected after it was stored is refused before
     * anything is written (its key may still hold the rejected copy), so neither a modality's
     * re-send nor a site's reconcile or fallback fetch brings it back.
     */
    private static void refuseRejected(Optional<Rejection> r) throws IngestException {
        if (r.isPresent()) {
            throw new IngestException(IngestException.Kind.INSTANCE_REJECTED, "this SOP Instance UID was rejected ("
                    + r.get().reason().code() + " " + r.get().reason().meaning() + ") by rejection note "
                    + r.get().noteSopUid() + "; a rejected instance is not accepted again", Tag.SOPInstanceUID, null);
        }
    }

    /**
     * No index row, but maybe an object at the instance's key with other bytes: one that a node
     * acknowledged and journaled while its index was down, not yet replayed (issue 15). Storing over
     * it would lose that acknowledged copy (its replay drops an entry whose object was replaced), so
     * the duplicate policy decides as if it were indexed. The same bytes, a storage that cannot tell
     * (no recorded digest, a target not answering) or policy replace go on as a new instance.
     *
     * @return the answer when the stored object is kept; else whether the store replaces an object in place
     */
    private Unindexed keepUnindexedObject(Arrival in) throws IngestException {
        // Only what answers now: a target that is down leaves the decision to the index, as before.
        String recorded = storage.quickRecordedSha256(in.key()).orElse(null);
        String incoming = in.staged().sha256();
        if (recorded == null || recorded.equals(incoming)) {
            return new Unindexed(null, false);
        }
        DuplicateDecision.Version stored = new DuplicateDecision.Version(recorded, null, in.key().path());
        return switch (duplicates.decide(in.sopUid(), stored, new DuplicateDecision.Version(incoming, null,
                in.key().path()), in.callingAe())) {
            case KEEP_FIRST -> new Unindexed(in.result(Outcome.KEPT_FIRST, in.key(), recorded, -1), false);
            case REJECT -> throw rejected();
            default -> new Unindexed(null, true); // replace: stored over it, as the policy asks (its bytes kept aside)
        };
    }

    /** @param kept the answer when the unindexed object is kept; @param replaced whether the store goes over it */
    private record Unindexed(StoreResult kept, boolean replaced) {}

    /**
     * The index is down: the decision is taken against storage alone (the object at the
     * instance's key and its recorded digest) and the instance goes to the journal.
     */
    private StoreResult storeWhileDeferred(Arrival in) throws IngestException, IOException {
        DuplicateDecision.Version stored = null;
        if (storage.exists(in.key())) {
            stored = new DuplicateDecision.Version(storage.recordedSha256(in.key()).orElse(null), null, in.key().path());
        }
        DuplicateDecision.Version incoming = new DuplicateDecision.Version(in.staged().sha256(), null, in.key().path());
        switch (duplicates.decide(in.sopUid(), stored, incoming, in.callingAe())) {
            case IDENTICAL -> {
                // The same bytes are in storage, but not necessarily indexed: the node that wrote them
                // (another node on shared storage, or this one before a crash) may have died before its
                // index commit. Journal them too, or this acknowledgement would leave the instance
                // unfindable; the replay is idempotent if it was indexed after all (issue 15).
                IndexedCommit.journal(deferred, in.record(in.staged().length(), stored.digest(), clock.millis()));
                return in.result(Outcome.IDENTICAL_DUPLICATE, in.key(), stored.digest(), in.staged().length());
            }
            case KEEP_FIRST -> {
                return in.result(Outcome.KEPT_FIRST, in.key(), stored.digest(), -1);
            }
            case REJECT -> throw rejected();
            case NEW, REPLACE -> {
                if (stored == null) {
                    StoredObject object = in.staged().commit();
                    IndexedCommit.journal(deferred, in.record(object.length(), object.sha256(), clock.millis()));
                    return in.result(Outcome.STORED, in.key(), object.sha256(), object.length());
                }
                StoredObject object = indexedCommit.replaceWhileDeferred(in);
                duplicates.replaced(in.sopUid(), stored, incoming, in.callingAe());
                return in.result(Outcome.REPLACED, in.key(), object.sha256(), object.length());
            }
            default -> throw new IllegalStateException();
        }
    }

    private static IngestException rejected() {
        return new IngestException(IngestException.Kind.DUPLICATE_REJECTED, DuplicateDecision.rejectedMessage(),
                Tag.SOPInstanceUID, null);
    }

    /**
     * Runs {@code work} holding this process's lock of {@code sopUid}, the one ingest holds from its duplicate
     * decision to its commit: the recovery of an interrupted replacement that runs while ingest does (issue 14).
     */
    public Object holdingInstanceLock(String sopUid, ReplacementRecovery.Work work) throws IOException {
        ReentrantLock lock = locks[Math.floorMod(sopUid.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return work.run();
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
                ts = IncomingHeader.detectSyntax(in);
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
}
