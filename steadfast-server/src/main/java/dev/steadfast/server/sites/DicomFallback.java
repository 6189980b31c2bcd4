package dev.steadfast.server.sites;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.retrieve.RemoteCopies;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseResponse;
import dev.steadfast.server.config.RemoteAeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fallback retrieve over DICOM (issue 17, {@code sites.fallback-dicom}): a read that names a study
 * of which nothing is held here (at the level asked) sends a Study Root C-MOVE to the peer, a plain
 * DICOM archive (Orthanc, another PACS), with this archive's own AE title as the destination. The
 * peer's C-STOREs arrive through the normal storage SCP (ingest: durable, indexed, forwarded as any
 * other instance); the C-MOVE's final response comes only after its last sub-operation, so the read
 * then finds the copies here. The peer must know this archive's AE title and address (its own
 * configuration). A study deleted here is never fetched back. Each message from the peer is awaited
 * at most {@code sites.peer.timeout-seconds}; a peer that cannot be reached or refuses is an
 * {@link RemoteCopies.UnavailableException} naming it.
 */
public final class DicomFallback implements RemoteCopies {
    private static final Logger LOG = LoggerFactory.getLogger(DicomFallback.class);

    private final RemoteAeConfig peer;
    private final String ourAeTitle;
    private final AssociationConfig association;
    private final TlsConfig tls;
    private final Index index;
    private final Inventory here;
    private final ConcurrentHashMap<String, ReentrantLock> studyLocks = new ConcurrentHashMap<>();
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    /** @param timeout the longest wait for each answer from the peer */
    public DicomFallback(RemoteAeConfig peer, String ourAeTitle, AssociationConfig association, Duration timeout, TlsConfig tls,
                         Index index) {
        this.peer = peer;
        this.ourAeTitle = ourAeTitle;
        this.association = association.withTimeouts(timeout, timeout, timeout, timeout);
        this.tls = tls;
        this.index = index;
        this.here = new Inventory(index);
    }

    @Override
    public int fetch(RetrieveRequest request) {
        var lock = studyLocks.computeIfAbsent(request.studyUid(), k -> new ReentrantLock());
        lock.lock(); // a viewer's parallel requests for one study wait for the first, then read locally
        try {
            if (here.deletedAt(request.studyUid()) >= 0) {
                return 0; // deleted here: the tombstone wins over the peer's copy
            }
            return move(request);
        } catch (IndexException e) {
            return 0; // tombstones cannot be checked: nothing is fetched (the read says not found)
        } finally {
            lock.unlock();
            if (!lock.hasQueuedThreads()) {
                studyLocks.remove(request.studyUid(), lock);
            }
        }
    }

    private int move(RetrieveRequest request) {
        Dataset keys = new Dataset();
        keys.setString(Tag.StudyInstanceUID, VR.UI, request.studyUid());
        String level = "STUDY";
        if (!request.seriesUids().isEmpty()) {
            level = "SERIES";
            keys.setString(Tag.SeriesInstanceUID, VR.UI, request.seriesUids().toArray(String[]::new));
        }
        if (!request.sopInstanceUids().isEmpty()) {
            level = "IMAGE";
            keys.setString(Tag.SOPInstanceUID, VR.UI, request.sopInstanceUids().toArray(String[]::new));
        }
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        ClientOptions o = new ClientOptions().callingAeTitle(ourAeTitle).calledAeTitle(peer.aeTitle()).config(association)
                .propose(UID.StudyRootQueryRetrieveInformationModelMove, ClientOptions.UNCOMPRESSED);
        if (peer.tls()) {
            o.tls(tls);
        }
        DimseResponse r;
        try (DimseClient c = DimseClient.open(peer.host(), peer.port(), o)) {
            r = c.move(UID.StudyRootQueryRetrieveInformationModelMove, ourAeTitle, keys, null);
        } catch (IOException | DimseException e) {
            failures.incrementAndGet();
            throw new UnavailableException("peer " + peer + " (C-MOVE, sites.fallback-dicom): " + e.getMessage(), e);
        }
        int completed = Math.max(0, r.completed());
        if (r.status().isFailure() && completed == 0) {
            failures.incrementAndGet();
            throw new UnavailableException("peer " + peer + " answered the C-MOVE with " + r.status()
                    + (r.errorComment() == null ? "" : ": " + r.errorComment()), null);
        }
        fetched.addAndGet(completed);
        if (completed > 0) {
            LOG.info("fallback retrieve: {} instances of study {} moved here from {}", completed, request.studyUid(), peer);
        }
        return completed;
    }
}
