package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.DicomText;
import dev.steadfast.archive.index.Index;
import dev.steadfast.dicom.Dataset;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders and their scheduled procedure steps in the index (table {@code worklist_item}): placed
 * (NW) or changed (XO: the order's steps are replaced by the message's), cancelled (CA: its steps
 * leave the worklist), and read back as worklist items for the worklist SCP.
 */
public final class Orders {
    private final Index index;
    private final Clock clock;

    public Orders(Index index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    /**
     * Places or replaces the order's steps. {@code mustExist}: a change (XO) of an order never
     * placed is refused rather than silently creating one.
     *
     * @throws IllegalStateException for a change of an unknown order
     */
    public void place(WorklistOrder order, boolean mustExist) {
        index.write(tx -> {
            Connection c = tx.connection();
            // A step a modality already reported on (MPPS: STARTED, COMPLETED, DISCONTINUED) keeps that status
            // through a change of its order: it must not be offered as SCHEDULED again.
            java.util.Map<String, String> performed = new java.util.HashMap<>();
            for (Object[] row : Jdbc.blobs(c, "SELECT id, item FROM worklist_item WHERE order_key = ?", order.orderKey())) {
                dev.steadfast.dicom.Sequence sps = PatientUpdates.decode((byte[]) row[1]).getSequence(
                        dev.steadfast.dicom.Tag.ScheduledProcedureStepSequence);
                if (sps != null && !sps.isEmpty()) {
                    String status = sps.get(0).getString(dev.steadfast.dicom.Tag.ScheduledProcedureStepStatus);
                    String step = sps.get(0).getString(dev.steadfast.dicom.Tag.ScheduledProcedureStepID);
                    if (status != null && step != null && !"SCHEDULED".equals(status.strip())) {
                        performed.put(step.strip(), status.strip());
                    }
                }
            }
            int removed = Jdbc.update(c, "DELETE FROM worklist_item WHERE order_key = ?", order.orderKey());
            if (mustExist && removed == 0) {
                throw new IllegalStateException("order " + order.orderKey() + " is not scheduled (never placed, or cancelled)");
            }
            long now = clock.millis();
            for (WorklistOrder.Step s : order.steps()) {
                Dataset item = WorklistItems.of(order, s);
                String status = performed.get(s.stepId());
                if (status != null) {
                    item.getSequence(dev.steadfast.dicom.Tag.ScheduledProcedureStepSequence).get(0)
                            .setString(dev.steadfast.dicom.Tag.ScheduledProcedureStepStatus, dev.steadfast.dicom.VR.CS, status);
                }
                Jdbc.update(c, "INSERT INTO worklist_item (order_key, step_id, station_ae, modality, start_date, start_time,"
                        + " patient_id, issuer, accession_number, item, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        order.orderKey(), s.stepId(), s.stationAeTitle(), s.modality(), s.startDate(),
                        s.startTime() == null ? null : DicomText.normalizeTime(s.startTime()), order.patient().patientId(),
                        order.patient().issuer(), order.accessionNumber(), PatientUpdates.encode(item), now);
            }
            return null;
        });
    }

    /**
     * Cancels the order: its steps leave the worklist.
     *
     * @throws IllegalStateException when no step of the order is scheduled
     */
    public void cancel(String orderKey) {
        index.write(tx -> {
            if (Jdbc.update(tx.connection(), "DELETE FROM worklist_item WHERE order_key = ?", orderKey) == 0) {
                throw new IllegalStateException("order " + orderKey + " is not scheduled (never placed, or already cancelled)");
            }
            return null;
        });
    }

    /**
     * The worklist items that may match: narrowed in SQL on single-valued station AE title,
     * modality and patient ID and on the start date range; every key is then matched on the item.
     *
     * @param dateFrom first scheduled date (YYYYMMDD), or null
     * @param dateTo   last scheduled date, or null
     */
    public List<Dataset> candidates(String stationAe, String modality, String patientId, String dateFrom, String dateTo) {
        StringBuilder sql = new StringBuilder("SELECT id, item FROM worklist_item WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter(sql, args, "station_ae", stationAe);
        filter(sql, args, "modality", modality);
        filter(sql, args, "patient_id", patientId);
        if (dateFrom != null) {
            sql.append(" AND start_date >= ?");
            args.add(dateFrom);
        }
        if (dateTo != null) {
            sql.append(" AND start_date <= ?");
            args.add(dateTo);
        }
        sql.append(" ORDER BY start_date, start_time, id");
        return index.read(tx -> {
            List<Dataset> out = new ArrayList<>();
            try (PreparedStatement ps = Jdbc.prepare(tx.connection(), sql.toString(), args.toArray());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(PatientUpdates.decode(rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }
}
