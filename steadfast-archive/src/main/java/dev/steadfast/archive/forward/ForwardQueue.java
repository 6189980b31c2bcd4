package dev.steadfast.archive.forward;

import dev.steadfast.archive.index.Dialect;
import dev.steadfast.archive.index.Tx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwarding queues' SQL, inside one index transaction (tables forward_queue and
 * forward_destination, migration V5). Claims are leases: a claimed entry is skipped by other
 * nodes until its lease ends, so a dead node's entries come back by themselves. On PostgreSQL
 * the claim locks the rows it reads ({@code FOR UPDATE SKIP LOCKED} where order does not matter,
 * {@code FOR UPDATE} on the head of an ordered queue), so two nodes never claim the same entry.
 */
public final class ForwardQueue {
    static final String QUEUED = "queued";
    static final String DEAD = "dead";
    private static final String COLUMNS = "id, destination, kind, study_uid, series_uid, sop_uid, sop_class_uid,"
            + " transfer_syntax, reason, enqueued_at, state, attempts, last_error";

    private final Connection c;
    private final Dialect dialect;

    public ForwardQueue(Tx tx) {
        this.c = tx.connection();
        this.dialect = tx.dialect();
    }

    /** Makes sure the destination has its row (pause flag, counters); harmless when it has. */
    public void register(String destination) throws SQLException {
        update("INSERT INTO forward_destination (name) VALUES (?) ON CONFLICT (name) DO NOTHING", destination);
    }

    public void enqueueStore(String destination, String studyUid, String seriesUid, String sopUid, String sopClassUid,
                             String transferSyntax, long now) throws SQLException {
        update("INSERT INTO forward_queue (destination, kind, study_uid, series_uid, sop_uid, sop_class_uid, transfer_syntax,"
                + " enqueued_at, state, next_attempt_at) VALUES (?, 'STORE', ?, ?, ?, ?, ?, ?, 'queued', ?)",
                destination, studyUid, seriesUid, sopUid, sopClassUid, transferSyntax, now, now);
    }

    public void enqueueDelete(String destination, String studyUid, String reason, long now) throws SQLException {
        update("INSERT INTO forward_queue (destination, kind, study_uid, reason, enqueued_at, state, next_attempt_at)"
                + " VALUES (?, 'DELETE', ?, ?, ?, 'queued', ?)", destination, studyUid, reason, now, now);
    }

    /**
     * An HL7 message for an HL7 destination (issue 18), in order behind what that destination's
     * queue already holds; {@code studyUid} is the study it is about, or empty.
     */
    public void enqueueMessage(String destination, String studyUid, String description, String message, long now)
            throws SQLException {
        update("INSERT INTO forward_queue (destination, kind, study_uid, reason, message, enqueued_at, state, next_attempt_at)"
                + " VALUES (?, 'HL7', ?, ?, ?, ?, 'queued', ?)", destination, studyUid == null ? "" : studyUid, description,
                message, now, now);
    }

    /** The text of a queued HL7 message, or null when the entry is gone. */
    public String message(long id) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT message FROM forward_queue WHERE id = ?", id); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A deleted study's instances still waiting (not being sent now) are not sent at all. */
    public int dropStoresOfStudy(String studyUid, long now) throws SQLException {
        return update("DELETE FROM forward_queue WHERE study_uid = ? AND kind = 'STORE'"
                + " AND (claimed_by IS NULL OR lease_until < ?)", studyUid, now);
    }

    /**
     * Claims up to {@code max} entries due now for {@code node}. An ordered destination gives only
     * a run from the head of its queue, and nothing while another node holds the head.
     */
    public List<ForwardEntry> claim(String destination, boolean ordered, String node, long now, long leaseUntil, int max)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        if (ordered) {
            String sql = "SELECT id, next_attempt_at, claimed_by, lease_until FROM forward_queue WHERE destination = ?"
                    + " AND state = 'queued' ORDER BY id LIMIT ?" + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
            try (PreparedStatement ps = prepare(sql, destination, max); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long lease = rs.getLong("lease_until");
                    boolean leased = !rs.wasNull() && lease >= now && !node.equals(rs.getString("claimed_by"));
                    if (leased || rs.getLong("next_attempt_at") > now) {
                        break; // order: nothing may overtake the head
                    }
                    ids.add(rs.getLong("id"));
                }
            }
        } else {
            // A deletion never overtakes a store of its study queued before it (the study would come back).
            String sql = "SELECT id FROM forward_queue f WHERE destination = ? AND state = 'queued' AND next_attempt_at <= ?"
                    + " AND (lease_until IS NULL OR lease_until < ?) AND (kind = 'STORE' OR NOT EXISTS (SELECT 1 FROM"
                    + " forward_queue p WHERE p.destination = f.destination AND p.study_uid = f.study_uid AND p.id < f.id"
                    + " AND p.state = 'queued')) ORDER BY id LIMIT ?"
                    + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
            try (PreparedStatement ps = prepare(sql, destination, now, now, max); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        List<ForwardEntry> out = new ArrayList<>(ids.size());
        for (long id : ids) {
            update("UPDATE forward_queue SET claimed_by = ?, lease_until = ? WHERE id = ?", node, leaseUntil, id);
            out.add(read(id));
        }
        return out;
    }

    /** Sent (or nothing left to send): the entry goes; {@code counted} adds it to the destination's sent total. */
    public void completed(ForwardEntry e, String node, boolean counted) throws SQLException {
        int n = update("DELETE FROM forward_queue WHERE id = ? AND claimed_by = ?", e.id(), node);
        if (n > 0 && counted) {
            update("UPDATE forward_destination SET sent = sent + 1 WHERE name = ?", e.destination());
        }
    }

    /**
     * A failure. A refusal counts toward the dead letter (after {@code maxAttempts}); an
     * unreachable destination does not. Returns whether the entry is now dead.
     */
    public boolean failed(ForwardEntry e, String node, String error, boolean refusal, int maxAttempts, long now,
                          long nextAttempt) throws SQLException {
        int attempts = e.attempts() + (refusal ? 1 : 0);
        boolean dead = refusal && attempts >= maxAttempts;
        int n = update("UPDATE forward_queue SET attempts = ?, last_error = ?, last_failed_at = ?, next_attempt_at = ?,"
                + " state = ?, claimed_by = NULL, lease_until = NULL WHERE id = ? AND claimed_by = ?",
                attempts, shorten(error), now, nextAttempt, dead ? DEAD : QUEUED, e.id(), node);
        if (n > 0) {
            update("UPDATE forward_destination SET failed = failed + 1, dead_lettered = dead_lettered + ? WHERE name = ?",
                    dead ? 1 : 0, e.destination());
        }
        return n > 0 && dead;
    }

    /** Extends this node's lease on entries it still holds (a long batch); returns how many it still held. */
    public int renew(List<ForwardEntry> entries, String node, long leaseUntil) throws SQLException {
        int n = 0;
        for (ForwardEntry e : entries) {
            n += update("UPDATE forward_queue SET lease_until = ? WHERE id = ? AND claimed_by = ?", leaseUntil, e.id(), node);
        }
        return n;
    }

    /**
     * Gives back the destination's entries claimed by an earlier process of this node ({@code
     * nodePrefix}, "node-id/"), other than {@code node} itself: node ids are unique among running
     * nodes, so that process is dead (killed), and its lease need not be waited out.
     */
    public int releaseEarlierClaims(String destination, String nodePrefix, String node) throws SQLException {
        return update("UPDATE forward_queue SET claimed_by = NULL, lease_until = NULL WHERE destination = ?"
                + " AND substr(claimed_by, 1, ?) = ? AND claimed_by <> ?", destination, nodePrefix.length(), nodePrefix, node);
    }

    /** Gives claimed entries back untouched (a batch cut short). */
    public void release(ForwardEntry e, String node) throws SQLException {
        update("UPDATE forward_queue SET claimed_by = NULL, lease_until = NULL WHERE id = ? AND claimed_by = ?", e.id(), node);
    }

    public boolean paused(String destination) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT paused FROM forward_destination WHERE name = ?", destination);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) != 0;
        }
    }

    /** Returns false when there is no such destination. */
    public boolean setPaused(String destination, boolean paused) throws SQLException {
        return update("UPDATE forward_destination SET paused = ? WHERE name = ?", paused ? 1 : 0, destination) > 0;
    }

    /** Dead letters of the destination (all, or the one with {@code id} when not null) queued again; returns how many. */
    public int retryDead(String destination, Long id, long now) throws SQLException {
        return id == null
                ? update("UPDATE forward_queue SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE destination = ?"
                        + " AND state = 'dead'", now, destination)
                : update("UPDATE forward_queue SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE destination = ?"
                        + " AND state = 'dead' AND id = ?", now, destination, id);
    }

    /** The state of every registered destination. */
    public List<ForwardQueues.DestinationState> states(long now) throws SQLException {
        List<ForwardQueues.DestinationState> out = new ArrayList<>();
        String sql = "SELECT d.name, d.paused, d.sent, d.failed, d.dead_lettered,"
                + " (SELECT COUNT(*) FROM forward_queue q WHERE q.destination = d.name AND q.state = 'queued'),"
                + " (SELECT COUNT(*) FROM forward_queue q WHERE q.destination = d.name AND q.state = 'dead'),"
                + " (SELECT MIN(q.enqueued_at) FROM forward_queue q WHERE q.destination = d.name AND q.state = 'queued'),"
                + " (SELECT q.last_error FROM forward_queue q WHERE q.destination = d.name AND q.last_error IS NOT NULL"
                + "  ORDER BY q.last_failed_at DESC LIMIT 1)"
                + " FROM forward_destination d ORDER BY d.name";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long oldest = rs.getLong(8);
                boolean none = rs.wasNull();
                out.add(new ForwardQueues.DestinationState(rs.getString(1), rs.getInt(2) != 0, rs.getLong(6), rs.getLong(7),
                        none ? 0 : Math.max(0, now - oldest) / 1000.0, rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(9)));
            }
        }
        return out;
    }

    /** Entries of a destination in a state, oldest first. */
    public List<ForwardEntry> entries(String destination, String state, int limit) throws SQLException {
        List<ForwardEntry> out = new ArrayList<>();
        try (PreparedStatement ps = prepare("SELECT " + COLUMNS + " FROM forward_queue WHERE destination = ? AND state = ?"
                + " ORDER BY id LIMIT ?", destination, state, limit); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(entry(rs));
            }
        }
        return out;
    }

    private ForwardEntry read(long id) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT " + COLUMNS + " FROM forward_queue WHERE id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("forward_queue entry " + id + " vanished during its claim");
            }
            return entry(rs);
        }
    }

    private static ForwardEntry entry(ResultSet rs) throws SQLException {
        return new ForwardEntry(rs.getLong("id"), rs.getString("destination"), ForwardEntry.Kind.valueOf(rs.getString("kind")),
                rs.getString("study_uid"), rs.getString("series_uid"), rs.getString("sop_uid"), rs.getString("sop_class_uid"),
                rs.getString("transfer_syntax"), rs.getString("reason"), rs.getLong("enqueued_at"),
                DEAD.equals(rs.getString("state")) ? ForwardEntry.State.DEAD : ForwardEntry.State.QUEUED,
                rs.getInt("attempts"), rs.getString("last_error"));
    }

    private static String shorten(String s) {
        if (s == null) {
            return null;
        }
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() > 500 ? one.substring(0, 500) + "..." : one;
    }

    private PreparedStatement prepare(String sql, Object... values) throws SQLException {
        return dev.steadfast.archive.index.Bind.prepare(c, sql, values);
    }

    private int update(String sql, Object... values) throws SQLException {
        return dev.steadfast.archive.index.Bind.update(c, sql, values);
    }
}
