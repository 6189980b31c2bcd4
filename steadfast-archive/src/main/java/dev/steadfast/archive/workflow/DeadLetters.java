package dev.steadfast.archive.workflow;

import dev.steadfast.archive.index.Index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** HL7 messages answered AE, kept with the reason (table {@code hl7_dead_letter}); the admin API lists them. */
public final class DeadLetters {
    private final Index index;

    public DeadLetters(Index index) {
        this.index = index;
    }

    public void add(long receivedAt, String messageType, String controlId, String reason, String message) {
        index.write(tx -> Jdbc.update(tx.connection(), "INSERT INTO hl7_dead_letter (received_at, message_type, control_id,"
                + " reason, message) VALUES (?, ?, ?, ?, ?)", receivedAt, messageType, controlId, reason, message));
    }

    /** The newest first, at most {@code limit}. */
    public List<DeadLetter> list(int limit) {
        return index.read(tx -> {
            List<DeadLetter> out = new ArrayList<>();
            try (PreparedStatement ps = Jdbc.prepare(tx.connection(), "SELECT id, received_at, message_type, control_id, reason,"
                    + " message FROM hl7_dead_letter ORDER BY id DESC LIMIT ?", limit);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeadLetter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
            return out;
        });
    }
}
