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
     * @param attempts refusals so far (an unreachable peer does not count)
     */
    public record Entry(long id, String destination, Kind kind, String sopUid, byte[] payload, int attempts, String lastError,
                        long enqueuedAt) {
    }

    /**
     * One destination as operators see it: entries waiting (not dead), the oldest one's enqueue time
     * (0: none), dead letters, and whether it is paused.
     */
    public record DestinationState(String name, boolean paused, long depth, long oldestEnqueuedAt, long deadLetters, int headAttempts,
                                   String lastError) {
    }

    private static final String COLUMNS = "id, destination, kind, sop_uid, payload, attempts, last_error, enqueued_at";

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
        if (paused(destination)) {
            return null;
        }
        String sql = "SELECT id, next_attempt_at, claimed_by, lease_until FROM workflow_outbox WHERE destination = ? AND dead_at IS NULL"
                + " ORDER BY id LIMIT 1"
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
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT " + COLUMNS + " FROM workflow_outbox WHERE id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return entry(rs);
        }
    }

    /** Delivered: the entry goes. */
    public void delivered(Entry e, String node) throws SQLException {
        Jdbc.update(c, "DELETE FROM workflow_outbox WHERE id = ? AND claimed_by = ?", e.id(), node);
    }

    /**
     * Not delivered: tried again at {@code nextAttempt}, still at the head. Only a refusal counts in
     * {@code attempts} (toward the dead letter), as in the forwarding queue: a peer that cannot be
     * reached for a day does not make its first refusal the last.
     */
    public void failed(Entry e, String node, String error, boolean refusal, long nextAttempt) throws SQLException {
        Jdbc.update(c, "UPDATE workflow_outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ?, claimed_by = NULL,"
                + " lease_until = NULL WHERE id = ? AND claimed_by = ?", refusal ? 1 : 0, oneLine(error), nextAttempt, e.id(), node);
    }

    /**
     * Refused for the last time: the entry becomes a dead letter with the reason, and the
     * destination's next entry becomes its head (a peer refusing one entry forever no longer holds
     * the queue).
     */
    public void dead(Entry e, String node, String reason, long now) throws SQLException {
        Jdbc.update(c, "UPDATE workflow_outbox SET attempts = attempts + 1, last_error = ?, dead_at = ?, claimed_by = NULL,"
                + " lease_until = NULL WHERE id = ? AND claimed_by = ?", oneLine(reason), now, e.id(), node);
    }

    private static String oneLine(String error) {
        String one = error == null ? null : error.replaceAll("[\\r\\n\\t]+", " ");
        return one == null || one.length() <= 500 ? one : one.substring(0, 500);
    }

    /** Every waiting entry is due now (an operator's "retry now", or a peer known to be back); returns how many. */
    public int retryNow(long now) throws SQLException {
        return Jdbc.update(c, "UPDATE workflow_outbox SET next_attempt_at = ? WHERE next_attempt_at > ? AND dead_at IS NULL", now, now);
    }

    /**
     * A destination's dead letters (or only entry {@code id}) queued again, due now, attempts from
     * zero; they keep their place by id, so they go before what was queued after them. Returns how many.
     */
    public int retryDead(String destination, Long id, long now) throws SQLException {
        return id == null
                ? Jdbc.update(c, "UPDATE workflow_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ? WHERE destination = ?"
                        + " AND dead_at IS NOT NULL", now, destination)
                : Jdbc.update(c, "UPDATE workflow_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ? WHERE destination = ?"
                        + " AND dead_at IS NOT NULL AND id = ?", now, destination, id);
    }

    /** Pauses or resumes a destination for every node sharing the index. */
    public void pause(String destination, boolean paused) throws SQLException {
        if (Jdbc.update(c, "UPDATE workflow_destination SET paused = ? WHERE name = ?", paused ? 1 : 0, destination) == 0) {
            Jdbc.update(c, "INSERT INTO workflow_destination (name, paused) VALUES (?, ?)", destination, paused ? 1 : 0);
        }
    }

    public boolean paused(String destination) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT paused FROM workflow_destination WHERE name = ?", destination);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) != 0;
        }
    }

    /** The state of each destination given and of every other one with entries or a stored pause, by name. */
    public List<DestinationState> states(java.util.Collection<String> configured) throws SQLException {
        java.util.TreeMap<String, DestinationState> out = new java.util.TreeMap<>();
        for (String d : configured) {
            out.put(d, new DestinationState(d, false, 0, 0, 0, 0, null));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name, paused FROM workflow_destination"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new DestinationState(rs.getString(1), rs.getInt(2) != 0, 0, 0, 0, 0, null));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT destination, SUM(CASE WHEN dead_at IS NULL THEN 1 ELSE 0 END),"
                + " MIN(CASE WHEN dead_at IS NULL THEN enqueued_at END), SUM(CASE WHEN dead_at IS NULL THEN 0 ELSE 1 END)"
                + " FROM workflow_outbox GROUP BY destination"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String d = rs.getString(1);
                DestinationState was = out.getOrDefault(d, new DestinationState(d, false, 0, 0, 0, 0, null));
                out.put(d, new DestinationState(d, was.paused(), rs.getLong(2), rs.getLong(3), rs.getLong(4), 0, null));
            }
        }
        List<DestinationState> list = new ArrayList<>();
        for (DestinationState s : out.values()) {
            List<Entry> head = entries(s.name(), false, 1);
            list.add(head.isEmpty() ? s : new DestinationState(s.name(), s.paused(), s.depth(), s.oldestEnqueuedAt(), s.deadLetters(),
                    head.getFirst().attempts(), head.getFirst().lastError()));
        }
        return list;
    }

    /** A destination's waiting entries or its dead letters, oldest first, at most {@code limit}. */
    public List<Entry> entries(String destination, boolean dead, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT " + COLUMNS + " FROM workflow_outbox WHERE destination = ? AND dead_at IS "
                + (dead ? "NOT NULL" : "NULL") + " ORDER BY id LIMIT " + Math.max(0, limit), destination);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(entry(rs));
            }
        }
        return out;
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getString(4), rs.getBytes(5),
                rs.getInt(6), rs.getString(7), rs.getLong(8));
    }

    /**
     * Per destination with entries: {destination, entries waiting, the most failed attempts among them, dead letters,
     * the oldest waiting entry's enqueue time (0: none)}.
     */
    public List<Object[]> depths() throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT destination, SUM(CASE WHEN dead_at IS NULL THEN 1 ELSE 0 END),"
                + " MAX(CASE WHEN dead_at IS NULL THEN attempts ELSE 0 END), SUM(CASE WHEN dead_at IS NULL THEN 0 ELSE 1 END),"
                + " MIN(CASE WHEN dead_at IS NULL THEN enqueued_at END)"
                + " FROM workflow_outbox GROUP BY destination ORDER BY destination"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
            }
        }
        return out;
    }

    /** Destinations with entries waiting. */
    public List<String> destinations() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT destination FROM workflow_outbox WHERE dead_at IS NULL"
                + " AND destination NOT IN (SELECT name FROM workflow_destination WHERE paused <> 0) ORDER BY destination");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Entries waiting for a destination (not dead letters), oldest first (for operators and tests). */
    public List<Entry> waiting(String destination) throws SQLException {
        return entries(destination, false, Integer.MAX_VALUE);
    }
}
