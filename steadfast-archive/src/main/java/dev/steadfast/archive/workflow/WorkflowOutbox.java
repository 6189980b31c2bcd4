package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.Dialect;
import dev.steadfast.archive.index.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflow's durable deliveries (table {@code workflow_outbox}) inside one index transaction:
 * MPPS relayed to other AEs, availability notices to subscribers, procedure events to listeners.
 * Entries are written in the transaction that changes the MPPS, so none is lost by a crash; each
 * destination is delivered in order (only its head is claimed, with a lease that a dead node's
 * claim outlives by at most its length).
 *
 * <p>Not the forwarding queue of issue 17: that one names stored instances to read from storage;
 * these entries carry their own DIMSE data set and need no storage at all.
 */
public final class WorkflowOutbox {
    /** What an entry is. */
    public enum Kind { N_CREATE, N_SET, IAN, STARTED, COMPLETED, DISCONTINUED, AVAILABLE }

    /**
     * One delivery.
     *
     * @param sopUid   the MPPS SOP Instance UID, or for {@link Kind#IAN} the notice's own
     * @param payload  the data set to send (explicit VR little endian)
     * @param attempts failed attempts so far
     */
    public record Entry(long id, String destination, Kind kind, String sopUid, byte[] payload, int attempts, String lastError) {
    }

    private final Connection c;
    private final Dialect dialect;

    public WorkflowOutbox(Tx tx) {
        this.c = tx.connection();
        this.dialect = tx.dialect();
    }

    public void enqueue(String destination, Kind kind, String sopUid, byte[] payload, long now) throws SQLException {
        Jdbc.update(c, "INSERT INTO workflow_outbox (destination, kind, sop_uid, payload, enqueued_at, next_attempt_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", destination, kind.name(), sopUid, payload, now, now);
    }

    /** The head of the destination's queue when it is due and nobody else holds it, claimed for {@code node}; else null. */
    public Entry claimHead(String destination, String node, long now, long leaseUntil) throws SQLException {
        String sql = "SELECT id, next_attempt_at, claimed_by, lease_until FROM workflow_outbox WHERE destination = ? ORDER BY id LIMIT 1"
                + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
        long id;
        try (PreparedStatement ps = Jdbc.prepare(c, sql, destination); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long lease = rs.getLong("lease_until");
            boolean leased = !rs.wasNull() && lease >= now && !node.equals(rs.getString("claimed_by"));
            if (leased || rs.getLong("next_attempt_at") > now) {
                return null; // order: nothing overtakes the head
            }
            id = rs.getLong("id");
        }
        Jdbc.update(c, "UPDATE workflow_outbox SET claimed_by = ?, lease_until = ? WHERE id = ?", node, leaseUntil, id);
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT id, destination, kind, sop_uid, payload, attempts, last_error"
                + " FROM workflow_outbox WHERE id = ?", id); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Entry(rs.getLong(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getString(4), rs.getBytes(5),
                    rs.getInt(6), rs.getString(7));
        }
    }

    /** Delivered: the entry goes. */
    public void delivered(Entry e, String node) throws SQLException {
        Jdbc.update(c, "DELETE FROM workflow_outbox WHERE id = ? AND claimed_by = ?", e.id(), node);
    }

    /** Not delivered: tried again at {@code nextAttempt}, still at the head. */
    public void failed(Entry e, String node, String error, long nextAttempt) throws SQLException {
        String one = error == null ? null : error.replaceAll("[\\r\\n\\t]+", " ");
        Jdbc.update(c, "UPDATE workflow_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL,"
                + " lease_until = NULL WHERE id = ? AND claimed_by = ?",
                one == null || one.length() <= 500 ? one : one.substring(0, 500), nextAttempt, e.id(), node);
    }

    /** Every waiting entry is due now (an operator's "retry now", or a peer known to be back); returns how many. */
    public int retryNow(long now) throws SQLException {
        return Jdbc.update(c, "UPDATE workflow_outbox SET next_attempt_at = ? WHERE next_attempt_at > ?", now, now);
    }

    /** Per destination with entries waiting: {destination, entries, failed attempts of its head}. */
    public List<Object[]> depths() throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT destination, COUNT(*), MAX(attempts) FROM workflow_outbox"
                + " GROUP BY destination ORDER BY destination"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)});
            }
        }
        return out;
    }

    /** Destinations with entries waiting. */
    public List<String> destinations() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT destination FROM workflow_outbox ORDER BY destination");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Entries waiting for a destination, oldest first (for operators and tests). */
    public List<Entry> waiting(String destination) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT id, destination, kind, sop_uid, payload, attempts, last_error"
                + " FROM workflow_outbox WHERE destination = ? ORDER BY id", destination); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getString(4), rs.getBytes(5),
                        rs.getInt(6), rs.getString(7)));
            }
        }
        return out;
    }
}
