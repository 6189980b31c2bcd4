package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.Dialect;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.archive.workflow.MppsRefusal.Reason;
import dev.steadfast.archive.workflow.WorkflowOutbox.Kind;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The Modality Performed Procedure Steps in the index (table {@code mpps}), each change in one
 * transaction with everything that follows from it: the linked worklist items' status, the
 * relays to other AEs, the procedure event and, once completed, the availability check
 * ({@link Availability}).
 */
public final class MppsStore {
    private final Index index;
    private final WorkflowTargets targets;
    private final Clock clock;

    public MppsStore(Index index, WorkflowTargets targets, Clock clock) {
        this.index = index;
        this.targets = targets;
        this.clock = clock;
    }

    /** A stored step: its status, attributes, and whether it is linked to a scheduled step of an order. */
    public record Mpps(String sopUid, String status, Dataset attributes, String orderKey, String stepId, String ianState) {
        public boolean scheduled() {
            return orderKey != null;
        }
    }

    /** Thrown inside a transaction to roll it back with the refusal. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final MppsRefusal refusal;

        Refused(MppsRefusal refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }

    /** N-CREATE (F.7.2.1.3): checked, stored, linked to its scheduled steps (their status becomes STARTED), relayed. */
    public Mpps create(String sopUid, Dataset attributes) throws MppsRefusal {
        MppsRules.checkCreate(attributes);
        try {
            return index.write(tx -> {
                if (read(tx, sopUid, false) != null) {
                    throw new Refused(new MppsRefusal(Reason.DUPLICATE_SOP_INSTANCE, -1,
                            "an MPPS with this SOP Instance UID exists already"));
                }
                long now = clock.millis();
                ScheduledSteps.Link link = ScheduledSteps.mark(tx.connection(), attributes, "STARTED", clock);
                Dataset ssas = attributes.getSequence(Tag.ScheduledStepAttributesSequence).get(0);
                Jdbc.update(tx.connection(), "INSERT INTO mpps (sop_uid, status, station_ae, accession_number, study_uid, order_key,"
                        + " step_id, patient_id, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        sopUid, MppsRules.IN_PROGRESS, attributes.getString(Tag.PerformedStationAETitle),
                        link.accessionNumber(), ssas.getString(Tag.StudyInstanceUID), link.orderKey(), link.stepId(),
                        attributes.getString(Tag.PatientID), PatientUpdates.encode(attributes), now, now);
                WorkflowOutbox out = new WorkflowOutbox(tx);
                for (String ae : targets.mppsForwardTo()) {
                    out.enqueue(WorkflowTargets.mpps(ae), Kind.N_CREATE, sopUid, PatientUpdates.encode(attributes), now);
                }
                out.enqueue(WorkflowTargets.EVENTS, Kind.STARTED, sopUid, PatientUpdates.encode(link.procedure(sopUid)), now);
                return new Mpps(sopUid, MppsRules.IN_PROGRESS, attributes, link.orderKey(), link.stepId(), null);
            });
        } catch (Refused r) {
            throw r.refusal;
        }
    }

    /**
     * N-SET (F.7.2.2.3): only while IN PROGRESS; a final status updates the linked worklist items,
     * and COMPLETED starts waiting for the instances it names (the notice goes once all are stored).
     */
    public Mpps set(String sopUid, Dataset sent) throws MppsRefusal {
        try {
            return index.write(tx -> {
                Mpps stored = read(tx, sopUid, true);
                if (stored == null) {
                    throw new Refused(new MppsRefusal(Reason.NO_SUCH_SOP_INSTANCE, -1, "no MPPS with this SOP Instance UID"));
                }
                String status;
                Dataset merged;
                // The archive moved or updated this step's patient (ADT, a correction): the modality's old values are not a change.
                Dataset mods = MppsPatients.updated(tx.connection(), sopUid) ? MppsPatients.withoutPatient(sent) : sent;
                try {
                    MppsRules.checkSet(stored.status(), stored.attributes(), mods);
                    merged = MppsRules.merge(stored.attributes(), mods);
                    status = MppsRules.status(merged);
                    if (!MppsRules.IN_PROGRESS.equals(status)) {
                        MppsRules.checkFinal(merged, status);
                    }
                } catch (MppsRefusal e) {
                    throw new Refused(e);
                }
                long now = clock.millis();
                boolean completed = MppsRules.COMPLETED.equals(status);
                int instances = completed ? Availability.expect(tx, sopUid, merged) : 0;
                String ianState = instances > 0 ? Availability.WAITING : null;
                Jdbc.update(tx.connection(), "UPDATE mpps SET status = ?, attributes = ?, ian_state = ?, updated_at = ? WHERE sop_uid = ?",
                        status, PatientUpdates.encode(merged), ianState, now, sopUid);
                WorkflowOutbox out = new WorkflowOutbox(tx);
                for (String ae : targets.mppsForwardTo()) {
                    out.enqueue(WorkflowTargets.mpps(ae), Kind.N_SET, sopUid, PatientUpdates.encode(sent), now);
                }
                if (!MppsRules.IN_PROGRESS.equals(status)) {
                    ScheduledSteps.Link link = ScheduledSteps.mark(tx.connection(), merged, status, clock);
                    out.enqueue(WorkflowTargets.EVENTS, completed ? Kind.COMPLETED : Kind.DISCONTINUED, sopUid,
                            PatientUpdates.encode(link.procedure(sopUid)), now);
                }
                if (instances > 0) {
                    new Availability(targets, clock).check(tx, sopUid); // the images may have come first
                }
                return new Mpps(sopUid, status, merged, stored.orderKey(), stored.stepId(), ianState);
            });
        } catch (Refused r) {
            throw r.refusal;
        }
    }

    /** The stored step, or null. */
    public Mpps find(String sopUid) {
        return index.read(tx -> read(tx, sopUid, false));
    }

    /** Reads the row; on PostgreSQL locks it, so two N-SETs of one step never interleave. */
    static Mpps read(Tx tx, String sopUid, boolean lock) throws SQLException {
        String sql = "SELECT status, attributes, order_key, step_id, ian_state FROM mpps WHERE sop_uid = ?"
                + (lock && tx.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
        try (PreparedStatement ps = Jdbc.prepare(tx.connection(), sql, sopUid); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Mpps(sopUid, rs.getString(1), PatientUpdates.decode(rs.getBytes(2)), rs.getString(3), rs.getString(4),
                    rs.getString(5));
        }
    }

    /** The scheduled steps an MPPS names, as sent (never changed after N-CREATE). */
    static Sequence scheduledSteps(Dataset attributes) {
        return attributes.getSequence(Tag.ScheduledStepAttributesSequence);
    }
}
