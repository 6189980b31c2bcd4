package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexEvents;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.workflow.WorkflowOutbox.Kind;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * When a COMPLETED MPPS's instances are all stored, queues its Instance Availability Notification
 * (PS3.4 Annex R, PS3.3 C.4.23) for each subscriber and the "instances available" procedure event.
 * Checked in the transaction that completes the MPPS (the images came first) and in the one that
 * records each instance (they come after: an {@link IndexEvents} hook, so journal replay counts
 * too). {@link #sweep} re-checks the waiting ones: on PostgreSQL the last image and the N-SET may
 * commit at the same moment on two nodes, each blind to the other.
 */
public final class Availability implements IndexEvents {
    static final String WAITING = "waiting";
    static final String NOTIFIED = "notified";

    private final WorkflowTargets targets;
    private final Clock clock;

    public Availability(WorkflowTargets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    /** Records the instances a completed MPPS names (Performed Series Sequence); returns how many. */
    static int expect(Tx tx, String mppsUid, Dataset mpps) throws SQLException {
        Jdbc.update(tx.connection(), "DELETE FROM mpps_instance WHERE mpps_uid = ?", mppsUid);
        Map<String, String[]> refs = new LinkedHashMap<>();
        Sequence series = mpps.getSequence(Tag.PerformedSeriesSequence);
        for (Dataset s : series == null ? List.<Dataset>of() : series.items()) {
            for (int seqTag : new int[] {Tag.ReferencedImageSequence, Tag.ReferencedNonImageCompositeSOPInstanceSequence}) {
                Sequence refSeq = s.getSequence(seqTag);
                for (Dataset r : refSeq == null ? List.<Dataset>of() : refSeq.items()) {
                    String sop = r.getString(Tag.ReferencedSOPInstanceUID);
                    if (sop != null && !sop.isBlank()) {
                        refs.put(sop.strip(), new String[] {s.getString(Tag.SeriesInstanceUID), r.getString(Tag.ReferencedSOPClassUID)});
                    }
                }
            }
        }
        for (Map.Entry<String, String[]> e : refs.entrySet()) {
            Jdbc.update(tx.connection(), "INSERT INTO mpps_instance (mpps_uid, series_uid, sop_uid, sop_class_uid) VALUES (?, ?, ?, ?)",
                    mppsUid, e.getValue()[0], e.getKey(), e.getValue()[1]);
        }
        return refs.size();
    }

    @Override
    public void instanceRecorded(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
        // On every instance's ingest: a statement kept per connection, one indexed look-up.
        List<String> waiting = new ArrayList<>();
        PreparedStatement ps = tx.cached("SELECT DISTINCT i.mpps_uid FROM mpps_instance i JOIN mpps m"
                + " ON m.sop_uid = i.mpps_uid WHERE i.sop_uid = ? AND m.ian_state = ?");
        ps.setString(1, record.sopUid());
        ps.setString(2, WAITING);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                waiting.add(rs.getString(1));
            }
        }
        for (String mpps : waiting) {
            check(tx, mpps);
        }
    }

    /** Queues the notices when every instance of the (waiting) MPPS is stored; returns whether it did. */
    boolean check(Tx tx, String mppsUid) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(tx.connection(), "SELECT COUNT(*) FROM mpps_instance i WHERE i.mpps_uid = ?"
                + " AND NOT EXISTS (SELECT 1 FROM instance x WHERE x.sop_uid = i.sop_uid)", mppsUid);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return false;
            }
        }
        // Whoever flips the state queues the notices: two nodes checking at once queue them once.
        if (Jdbc.update(tx.connection(), "UPDATE mpps SET ian_state = ? WHERE sop_uid = ? AND ian_state = ?",
                NOTIFIED, mppsUid, WAITING) == 0) {
            return false;
        }
        MppsStore.Mpps mpps = MppsStore.read(tx, mppsUid, false);
        ScheduledSteps.Link link = ScheduledSteps.mark(tx.connection(), mpps.attributes(), null, clock);
        long now = clock.millis();
        WorkflowOutbox out = new WorkflowOutbox(tx);
        for (Map.Entry<String, Dataset> study : notices(tx, mppsUid).entrySet()) {
            Dataset ian = study.getValue();
            byte[] payload = PatientUpdates.encode(ian);
            String ianUid = newUid();
            for (String ae : targets.ianSubscribers()) {
                out.enqueue(WorkflowTargets.ian(ae), Kind.IAN, ianUid, payload, now);
            }
            Dataset event = link.procedure(mppsUid);
            event.setString(Tag.StudyInstanceUID, VR.UI, study.getKey());
            event.put(ian.copy().get(Tag.ReferencedSeriesSequence));
            out.enqueue(WorkflowTargets.EVENTS, Kind.AVAILABLE, mppsUid, PatientUpdates.encode(event), now);
        }
        return true;
    }

    /** One notice per study (PS3.3 C.4.23: a notice names one study), its instances by series. */
    private Map<String, Dataset> notices(Tx tx, String mppsUid) throws SQLException {
        Map<String, Dataset> byStudy = new LinkedHashMap<>();
        Map<String, Dataset> bySeries = new LinkedHashMap<>();
        try (PreparedStatement ps = Jdbc.prepare(tx.connection(), "SELECT st.study_uid, se.series_uid, x.sop_uid, x.sop_class_uid"
                + " FROM mpps_instance i JOIN instance x ON x.sop_uid = i.sop_uid JOIN series se ON se.id = x.series_fk"
                + " JOIN study st ON st.id = se.study_fk WHERE i.mpps_uid = ? ORDER BY st.study_uid, se.series_uid, x.sop_uid",
                mppsUid); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String studyUid = rs.getString(1);
                Dataset ian = byStudy.computeIfAbsent(studyUid, s -> notice(mppsUid, s));
                Dataset series = bySeries.computeIfAbsent(rs.getString(2), s -> {
                    Dataset item = ian.getSequence(Tag.ReferencedSeriesSequence).addItem();
                    item.setString(Tag.SeriesInstanceUID, VR.UI, s);
                    item.newSequence(Tag.ReferencedSOPSequence);
                    return item;
                });
                Dataset ref = series.getSequence(Tag.ReferencedSOPSequence).addItem();
                ref.setString(Tag.ReferencedSOPClassUID, VR.UI, rs.getString(4));
                ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, rs.getString(3));
                ref.setString(Tag.InstanceAvailability, VR.CS, "ONLINE");
                ref.setString(Tag.RetrieveAETitle, VR.AE, targets.retrieveAeTitle());
            }
        }
        return byStudy;
    }

    private static Dataset notice(String mppsUid, String studyUid) {
        Dataset d = new Dataset();
        Dataset pps = d.newSequence(Tag.ReferencedPerformedProcedureStepSequence).addItem();
        pps.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.ModalityPerformedProcedureStep);
        pps.setString(Tag.ReferencedSOPInstanceUID, VR.UI, mppsUid);
        pps.newSequence(Tag.PerformedWorkitemCodeSequence); // type 2: an MPPS names no workitem code
        d.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        d.newSequence(Tag.ReferencedSeriesSequence);
        return d;
    }

    /**
     * Re-checks the MPPS completed in the last hour that still wait for instances, each in its own
     * transaction; returns how many were notified. Older ones are left to the instance hook: the
     * race this covers lasts one commit, and an MPPS whose images went to another archive must not
     * be re-read forever.
     */
    public int sweep(Index index) {
        long since = clock.millis() - 3_600_000L;
        List<String> waiting = index.read(tx -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = Jdbc.prepare(tx.connection(), "SELECT sop_uid FROM mpps WHERE ian_state = ? AND updated_at >= ?",
                    WAITING, since);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        int n = 0;
        for (String uid : waiting) {
            if (index.write(tx -> check(tx, uid))) {
                n++;
            }
        }
        return n;
    }

    /** A UUID-derived UID (PS3.5 B.2), for what the workflow creates (notices, MPPS without a requested UID). */
    public static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
