package dev.steadfast.server.sites;

import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.admin.StudyNotFoundException;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.server.sites.ReconcileReport.Difference;
import dev.steadfast.server.sites.ReconcileReport.Kind;
import dev.steadfast.server.sites.ReconcileReport.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares this archive with the peer site and, with {@code fill}, makes them equal (issue 17):
 * <ol>
 * <li>the peer's study digests are read page by page (one map entry a study); this archive's
 *     are then walked page by page beside them;</li>
 * <li>a study whose count and digest agree costs nothing more; for the others, series digests,
 *     then the instances of the series that differ, are compared;</li>
 * <li>an instance one side lacks is copied: WADO-RS from the peer (SHA-256 checked, stored through
 *     ingest) or STOW-RS to it (read here through the verifying retrieve engine); the series is
 *     compared again afterwards;</li>
 * <li>tombstones win: a study one side deleted is deleted on the other, never copied back, unless
 *     that side received it again after the deletion (then it is a new arrival and is copied).</li>
 * </ol>
 * An instance both hold with different data set bytes is reported, never overwritten: which copy is
 * right is a person's decision.
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    static final String REASON = "reconcile: deleted at the peer site";

    private final Inventory here;
    private final PeerClient peer;
    private final SiteCopier copier;
    private final RetrieveEngine retrieve;
    private final StudyDeletion deletion;
    private final Clock clock;
    private final dev.steadfast.archive.audit.AccessAudit audit;

    public Reconciler(Inventory here, PeerClient peer, SiteCopier copier, RetrieveEngine retrieve, StudyDeletion deletion, Clock clock,
                      dev.steadfast.archive.audit.AccessAudit audit) {
        this.audit = audit;
        this.here = here;
        this.peer = peer;
        this.copier = copier;
        this.retrieve = retrieve;
        this.deletion = deletion;
        this.clock = clock;
    }

    /** One full comparison; with {@code fill}, the gaps are filled in both directions. Never throws for the peer: see {@link ReconcileReport#error()}. */
    public ReconcileReport run(boolean fill) {
        ReconcileReport report = new ReconcileReport(peer.base().toString(), clock.millis());
        long studiesHere = 0;
        long studiesThere = 0;
        try {
            Map<String, Long> peerDeleted = latest(peer.deletions());
            Map<String, Long> hereDeleted = new HashMap<>();
            for (List<Inventory.Tombstone> page = here.tombstones(0, Inventory.MAX_PAGE); !page.isEmpty();
                 page = page.size() < Inventory.MAX_PAGE ? List.of() : here.tombstones(page.get(page.size() - 1).id(), Inventory.MAX_PAGE)) {
                hereDeleted.putAll(latest(page));
            }
            Map<String, Inventory.StudyDigest> there = new LinkedHashMap<>();
            for (PeerClient.StudyPage p = peer.studies(null); ; p = peer.studies(p.next())) {
                p.studies().forEach(s -> there.put(s.studyUid(), s));
                if (p.next() == null) {
                    break;
                }
            }
            studiesThere = there.size();
            String after = null;
            for (List<Inventory.StudyDigest> page = here.studies(null, Inventory.MAX_PAGE); !page.isEmpty();
                 page = page.size() < Inventory.MAX_PAGE ? List.of() : here.studies(after, Inventory.MAX_PAGE)) {
                for (Inventory.StudyDigest mine : page) {
                    studiesHere++;
                    Inventory.StudyDigest theirs = there.remove(mine.studyUid());
                    Long gone = peerDeleted.get(mine.studyUid());
                    if (theirs == null && gone != null && mine.lastReceived() <= gone) {
                        deleteHere(mine.studyUid(), fill, report);
                    } else if (theirs == null || theirs.instances() != mine.instances() || !Objects.equals(theirs.digest(), mine.digest())) {
                        compareStudy(mine.studyUid(), fill, report);
                    }
                }
                after = page.get(page.size() - 1).studyUid();
            }
            for (Inventory.StudyDigest theirs : there.values()) { // studies only the peer holds
                Long gone = hereDeleted.get(theirs.studyUid());
                if (gone != null && theirs.lastReceived() <= gone) {
                    deleteThere(theirs.studyUid(), fill, report);
                } else {
                    compareStudy(theirs.studyUid(), fill, report);
                }
            }
            report.finish(clock.millis(), studiesHere, studiesThere, null);
        } catch (PeerClient.PeerException | RuntimeException e) {
            LOG.warn("reconcile with {} stopped: {}", peer.base(), e.getMessage());
            report.finish(clock.millis(), studiesHere, studiesThere, e.getMessage());
        }
        if (!report.differences().isEmpty()) {
            LOG.info("reconcile with {}: {} differences, {} filled, {} deleted, {} failed", peer.base(), report.differences().size(),
                    report.count(Outcome.FILLED), report.count(Outcome.DELETED), report.count(Outcome.FAILED));
        }
        return report;
    }

    private void compareStudy(String study, boolean fill, ReconcileReport report) throws PeerClient.PeerException {
        Map<String, Inventory.SeriesDigest> mine = bySeries(here.series(study));
        Map<String, Inventory.SeriesDigest> theirs = bySeries(peer.series(study));
        java.util.Set<String> all = new java.util.TreeSet<>(mine.keySet());
        all.addAll(theirs.keySet());
        for (String series : all) {
            Inventory.SeriesDigest m = mine.get(series);
            Inventory.SeriesDigest t = theirs.get(series);
            if (m != null && t != null && m.instances() == t.instances() && Objects.equals(m.digest(), t.digest())) {
                continue;
            }
            compareSeries(study, series, m == null ? List.of() : here.instances(study, series),
                    t == null ? List.of() : peer.instances(study, series), fill, report);
        }
    }

    private void compareSeries(String study, String series, List<Inventory.Entry> mine, List<Inventory.Entry> theirs, boolean fill,
                               ReconcileReport report) throws PeerClient.PeerException {
        Map<String, Inventory.Entry> m = bySop(mine);
        Map<String, Inventory.Entry> t = bySop(theirs);
        java.util.Set<String> copied = new java.util.LinkedHashSet<>();
        // Rejected instances (IOCM, issue 18) are tombstones too: neither copied back nor sent to a site that rejected them.
        java.util.Set<String> rejectedHere = theirs.stream().anyMatch(e -> !m.containsKey(e.sopUid())) ? here.rejected(study) : java.util.Set.of();
        java.util.Set<String> rejectedThere = mine.stream().anyMatch(e -> !t.containsKey(e.sopUid())) ? peer.rejected(study) : java.util.Set.of();
        for (Inventory.Entry e : theirs) {
            Inventory.Entry local = m.get(e.sopUid());
            if (local == null && rejectedHere.contains(e.sopUid())) {
                report.add(new Difference(Kind.REJECTED_HERE, study, series, e.sopUid(), Outcome.REPORTED,
                        "rejected here by a rejection note; not copied back"));
            } else if (local == null) {
                if (fetch(study, series, e, fill, report)) {
                    copied.add(e.sopUid());
                }
            } else if (!Objects.equals(local.datasetSha256(), e.datasetSha256())) {
                report.add(new Difference(Kind.CONTENT_DIFFERS, study, series, e.sopUid(), Outcome.REPORTED,
                        "data set SHA-256 here " + local.datasetSha256() + ", at the peer " + e.datasetSha256()));
            }
        }
        for (Inventory.Entry e : mine) {
            if (!t.containsKey(e.sopUid()) && rejectedThere.contains(e.sopUid())) {
                report.add(new Difference(Kind.REJECTED_AT_PEER, study, series, e.sopUid(), Outcome.REPORTED,
                        "rejected at the peer by a rejection note; not sent"));
            } else if (!t.containsKey(e.sopUid()) && push(study, series, e, fill, report)) {
                copied.add(e.sopUid());
            }
        }
        if (!copied.isEmpty()) { // compare again: each copy must now be listed on both sides with the same data set bytes
            Map<String, Inventory.Entry> nowHere = bySop(here.instances(study, series));
            Map<String, Inventory.Entry> nowThere = bySop(peer.instances(study, series));
            for (String sop : copied) {
                Inventory.Entry a = nowHere.get(sop);
                Inventory.Entry b = nowThere.get(sop);
                if (a == null || b == null || !Objects.equals(a.datasetSha256(), b.datasetSha256())) {
                    report.add(new Difference(Kind.CONTENT_DIFFERS, study, series, sop, Outcome.FAILED,
                            "copied, but " + (a == null ? "not listed here" : b == null ? "not listed at the peer"
                                    : "the two sites' data set SHA-256s differ")));
                }
            }
        }
    }

    private boolean fetch(String study, String series, Inventory.Entry e, boolean fill, ReconcileReport report) {
        if (!fill) {
            report.add(new Difference(Kind.MISSING_HERE, study, series, e.sopUid(), Outcome.REPORTED, null));
            return false;
        }
        try {
            copier.fetch(study, series, e);
            report.add(new Difference(Kind.MISSING_HERE, study, series, e.sopUid(), Outcome.FILLED, null));
            return true;
        } catch (IOException | RuntimeException x) {
            report.add(new Difference(Kind.MISSING_HERE, study, series, e.sopUid(), Outcome.FAILED, x.getMessage()));
            return false;
        }
    }

    private boolean push(String study, String series, Inventory.Entry e, boolean fill, ReconcileReport report) {
        if (!fill) {
            report.add(new Difference(Kind.MISSING_AT_PEER, study, series, e.sopUid(), Outcome.REPORTED, null));
            return false;
        }
        try {
            StoredInstance i = retrieve.locateHere(RetrieveRequest.instance(study, series, e.sopUid())).stream().findFirst()
                    .orElseThrow(() -> new IOException("no longer held here"));
            peer.stow(() -> {
                try {
                    return retrieve.open(i); // verified against its SHA-256 as it is read: a damaged copy is not sent
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
            report.add(new Difference(Kind.MISSING_AT_PEER, study, series, e.sopUid(), Outcome.FILLED, null));
            return true;
        } catch (IOException | RuntimeException x) {
            report.add(new Difference(Kind.MISSING_AT_PEER, study, series, e.sopUid(), Outcome.FAILED, x.getMessage()));
            return false;
        }
    }

    private void deleteHere(String study, boolean fill, ReconcileReport report) {
        if (!fill) {
            report.add(new Difference(Kind.DELETED_AT_PEER, study, null, null, Outcome.REPORTED, null));
            return;
        }
        try {
            deletion.delete(study, "reconcile with " + peer.base(), REASON);
            audit.deleted(new dev.steadfast.archive.audit.AuditEvents.Actor("reconcile", peer.base().getHost()),
                    new dev.steadfast.archive.audit.AuditEvents.StudyRef(study, null, null, Map.of()), REASON);
            report.add(new Difference(Kind.DELETED_AT_PEER, study, null, null, Outcome.DELETED, null));
        } catch (StudyNotFoundException x) {
            report.add(new Difference(Kind.DELETED_AT_PEER, study, null, null, Outcome.DELETED, "already gone"));
        } catch (IOException | RuntimeException x) {
            report.add(new Difference(Kind.DELETED_AT_PEER, study, null, null, Outcome.FAILED, x.getMessage()));
        }
    }

    private void deleteThere(String study, boolean fill, ReconcileReport report) {
        if (!fill) {
            report.add(new Difference(Kind.DELETED_HERE, study, null, null, Outcome.REPORTED, null));
            return;
        }
        try {
            peer.deleteStudy(study, "reconcile: deleted at the peer site");
            report.add(new Difference(Kind.DELETED_HERE, study, null, null, Outcome.DELETED, null));
        } catch (IOException x) {
            report.add(new Difference(Kind.DELETED_HERE, study, null, null, Outcome.FAILED, x.getMessage()));
        }
    }

    private static Map<String, Long> latest(List<Inventory.Tombstone> tombstones) {
        Map<String, Long> out = new HashMap<>();
        tombstones.forEach(t -> out.merge(t.studyUid(), t.deletedAt(), Math::max));
        return out;
    }

    private static Map<String, Inventory.SeriesDigest> bySeries(List<Inventory.SeriesDigest> list) {
        Map<String, Inventory.SeriesDigest> out = new LinkedHashMap<>();
        list.forEach(s -> out.put(s.seriesUid(), s));
        return out;
    }

    private static Map<String, Inventory.Entry> bySop(List<Inventory.Entry> list) {
        Map<String, Inventory.Entry> out = new LinkedHashMap<>();
        list.forEach(s -> out.put(s.sopUid(), s));
        return out;
    }
}
