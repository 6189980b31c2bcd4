package dev.steadfast.archive.sites;

import dev.steadfast.archive.index.IndexEvents;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.index.Tx;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * The prior-study prefetch queue's SQL (issue 17; table prefetch_queue), inside one index
 * transaction. A study's first instance queues one look-up ({@link #arrived}) in the very
 * transaction that indexes it ({@link Trigger}), so neither a restart nor kill -9 loses it. A claim
 * moves the row's due time past a lease: a node that dies mid-fetch leaves the row due again when
 * the lease ends, and two nodes sharing a PostgreSQL index never claim the same row (the claim is a
 * conditional update on the due time it read).
 */
public final class PrefetchQueue {
    static final String WAITING = "waiting";
    static final String DONE = "done";
    static final String FAILED = "failed";

    private final Connection c;

    public PrefetchQueue(Tx tx) {
        this.c = tx.connection();
    }

    /** One queued look-up: the study that arrived, its patient, tries so far. */
    public record Task(String studyUid, String patientId, int attempts) {
    }

    /** Queues a look-up for a study not seen before; returns whether it was new. */
    public boolean arrived(String studyUid, String patientId, long now) throws SQLException {
        return update("INSERT INTO prefetch_queue (study_uid, patient_id, state, next_attempt_at) VALUES (?, ?, 'waiting', ?)"
                + " ON CONFLICT (study_uid) DO NOTHING", studyUid, patientId, now) == 1;
    }

    /** Marks a study as seen without a look-up (a prior being fetched: its arrival must not start another). */
    public void seen(String studyUid, String patientId, long now) throws SQLException {
        update("INSERT INTO prefetch_queue (study_uid, patient_id, state, next_attempt_at) VALUES (?, ?, 'done', ?)"
                + " ON CONFLICT (study_uid) DO NOTHING", studyUid, patientId == null ? "" : patientId, now);
    }

    /** Claims the look-up due first (its due time moves to {@code leaseUntil}), or none. */
    public Optional<Task> claim(long now, long leaseUntil) throws SQLException {
        for (int tries = 0; tries < 3; tries++) {
            Task t;
            long due;
            try (PreparedStatement ps = prepare("SELECT study_uid, patient_id, attempts, next_attempt_at FROM prefetch_queue"
                    + " WHERE state = 'waiting' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1", now);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                t = new Task(rs.getString(1), rs.getString(2), rs.getInt(3));
                due = rs.getLong(4);
            }
            if (update("UPDATE prefetch_queue SET next_attempt_at = ? WHERE study_uid = ? AND state = 'waiting' AND next_attempt_at = ?",
                    leaseUntil, t.studyUid(), due) == 1) {
                return Optional.of(t);
            }
            // another node claimed it between the read and the update: look again
        }
        return Optional.empty();
    }

    public void done(String studyUid) throws SQLException {
        update("UPDATE prefetch_queue SET state = 'done', last_error = NULL WHERE study_uid = ?", studyUid);
    }

    /** A failed try: due again at {@code nextAt}, or given up ({@code nextAt < 0}) with the reason kept. */
    public void failed(String studyUid, int attempts, long nextAt, String error) throws SQLException {
        String e = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        if (nextAt < 0) {
            update("UPDATE prefetch_queue SET state = 'failed', attempts = ?, last_error = ? WHERE study_uid = ?", attempts, e, studyUid);
        } else {
            update("UPDATE prefetch_queue SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE study_uid = ?",
                    attempts, nextAt, e, studyUid);
        }
    }

    /** Look-ups queued, being tried or waiting to be retried. */
    public long waiting() throws SQLException {
        try (PreparedStatement ps = prepare("SELECT count(*) FROM prefetch_queue WHERE state = 'waiting'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Queues a study's look-up when its first instance (of a patient with a Patient ID) is indexed:
     * live ingest, STOW-RS and the ingest journal's replay alike.
     */
    public record Trigger(Clock clock) implements IndexEvents {
        @Override
        public void instanceRecorded(Tx tx, Dataset header, InstanceRecord record) throws SQLException {
            String patient = header.getString(Tag.PatientID);
            String study = header.getString(Tag.StudyInstanceUID);
            if (patient != null && !patient.isBlank() && study != null) {
                new PrefetchQueue(tx).arrived(study, patient.strip(), clock.millis());
            }
        }
    }

    private PreparedStatement prepare(String sql, Object... values) throws SQLException {
        return dev.steadfast.archive.index.Bind.prepare(c, sql, values);
    }

    private int update(String sql, Object... values) throws SQLException {
        return dev.steadfast.archive.index.Bind.update(c, sql, values);
    }
}
