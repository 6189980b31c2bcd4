package dev.steadfast.archive.audit;

import dev.steadfast.archive.audit.AuditEvents.Actor;
import dev.steadfast.archive.audit.AuditEvents.StudyRef;
import dev.steadfast.archive.ingest.StoreResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link AccessAudit} onto an {@link AuditTrail}. Stores are gathered per source and study and written as one
 * "DICOM Instances Transferred" message (with the count per SOP Class) once that source has sent nothing
 * of the study for {@link #QUIET}, or at {@link #close}: a 500-image CT is one record, not 500 (PS3.15 A.5.3
 * asks for one message per study and transfer), and the audit log's fsync is not paid per instance.
 */
public final class AuditedAccess implements AccessAudit, AutoCloseable {
    static final long QUIET = TimeUnit.SECONDS.toNanos(2);

    private final AuditTrail trail;
    private final String archive;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Viewed> viewed = new LinkedHashMap<>();
    /** When each user (and address) was last audited as signed in. */
    private final Map<String, Long> signedIn = new java.util.HashMap<>();
    static final long SIGN_IN_WINDOW = TimeUnit.MINUTES.toNanos(15);

    /** Viewer reads of one study by one requestor, counted by kind until the requestor goes quiet. */
    private static final class Viewed {
        final Actor requestor;
        final String studyUid;
        final Map<String, Integer> requests = new LinkedHashMap<>();
        long last;

        Viewed(Actor requestor, String studyUid) {
            this.requestor = requestor;
            this.studyUid = studyUid;
        }
    }
    private final Thread flusher;
    private volatile boolean closed;

    private static final class Pending {
        final Actor source;
        final String studyUid;
        final String patientId;
        final String patientName;
        final Map<String, Integer> sopClasses = new LinkedHashMap<>();
        long last;

        Pending(Actor source, String studyUid, String patientId, String patientName) {
            this.source = source;
            this.studyUid = studyUid;
            this.patientId = patientId;
            this.patientName = patientName;
        }
    }

    /** @param archive this archive's AE title, the other participant of every message */
    public AuditedAccess(AuditTrail trail, String archive) {
        this.trail = trail;
        this.archive = archive;
        this.flusher = Thread.ofVirtual().name("audit-stores").start(this::flushLoop);
    }

    @Override
    public void stored(Actor source, StoreResult r) {
        String key = source.id() + '\u0000' + source.address() + '\u0000' + r.studyUid();
        synchronized (pending) {
            Pending p = pending.computeIfAbsent(key, k -> new Pending(source, r.studyUid(), r.patientId(), r.patientName()));
            p.sopClasses.merge(r.sopClassUid(), 1, Integer::sum);
            p.last = System.nanoTime();
        }
    }

    @Override
    public void viewed(Actor requestor, String studyUid, String what) {
        if (studyUid == null || studyUid.isEmpty()) {
            return;
        }
        String key = requestor.id() + '\u0000' + requestor.address() + '\u0000' + studyUid;
        synchronized (pending) {
            Viewed v = viewed.computeIfAbsent(key, k -> new Viewed(requestor, studyUid));
            v.requests.merge(what, 1, Integer::sum);
            v.last = System.nanoTime();
        }
    }

    @Override
    public void queried(Actor requestor, String what, byte[] query, boolean failed) {
        trail.record(AuditEvents.query(requestor, archive, what, query, failed, null));
    }

    @Override
    public void retrieved(Actor requestor, Actor destination, List<StudyRef> studies, boolean failed, String outcome) {
        for (StudyRef s : studies) {
            trail.record(AuditEvents.instancesRetrieved(requestor, archive, destination, s, failed, outcome));
        }
    }

    @Override
    public void deleted(Actor user, StudyRef study, String reason) {
        trail.record(AuditEvents.studyDeleted(user, archive, study, reason));
    }

    @Override
    public void authentication(Actor user, boolean success, String outcome) {
        if (success) {
            // Every HTTP request authenticates; a sign-in is the first of a user from an address in SIGN_IN_WINDOW.
            String key = user.id() + '\u0000' + user.address();
            long now = System.nanoTime();
            synchronized (signedIn) {
                Long last = signedIn.get(key);
                if (last != null && now - last < SIGN_IN_WINDOW) {
                    return;
                }
                signedIn.put(key, now);
                if (signedIn.size() > 10_000) {
                    signedIn.values().removeIf(t -> now - t >= SIGN_IN_WINDOW);
                }
            }
        }
        trail.record(AuditEvents.authentication(user, archive, success, outcome));
    }

    @Override
    public void refused(Actor who, boolean nodeAuthentication, String what, Map<String, String> details) {
        trail.record(AuditEvents.securityAlert(who, archive, nodeAuthentication, what, details));
    }

    @Override
    public void corrected(Actor who, String studyUid, String patientId, List<String> attributes, String how) {
        trail.record(AuditEvents.corrected(who, archive, studyUid, patientId, attributes, how));
    }

    @Override
    public void procedureRecorded(Actor modality, char action, String mppsUid, String studyUid, String accession, String patientId,
                                  String status, boolean failed, String outcome) {
        trail.record(AuditEvents.procedureRecord(modality, archive, action, mppsUid, studyUid, accession, patientId, status, failed,
                outcome));
    }

    private void flushLoop() {
        while (!closed) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            flush(false);
        }
    }

    /** Writes what has been quiet long enough (or everything). */
    void flush(boolean all) {
        List<Pending> due = new ArrayList<>();
        List<Viewed> seen = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (pending) {
            var vit = viewed.values().iterator();
            while (vit.hasNext()) {
                Viewed v = vit.next();
                if (all || now - v.last >= QUIET) {
                    seen.add(v);
                    vit.remove();
                }
            }
            var it = pending.values().iterator();
            while (it.hasNext()) {
                Pending p = it.next();
                if (all || now - p.last >= QUIET) {
                    due.add(p);
                    it.remove();
                }
            }
        }
        for (Viewed v : seen) {
            StringBuilder text = new StringBuilder("viewed:");
            v.requests.forEach((what, n) -> text.append(' ').append(what).append(" x").append(n));
            trail.record(AuditEvents.instancesRetrieved(v.requestor, archive, v.requestor,
                    new StudyRef(v.studyUid, null, null, Map.of()), false, text.toString()));
        }
        for (Pending p : due) {
            trail.record(AuditEvents.instancesStored(p.source, archive,
                    new StudyRef(p.studyUid, p.patientId, p.patientName, p.sopClasses), false, null));
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        flush(true);
    }
}
