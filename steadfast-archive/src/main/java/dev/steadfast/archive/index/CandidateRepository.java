package dev.steadfast.archive.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads the candidates of a {@link CandidateQuery}, one page (one short transaction) at a time. */
public final class CandidateRepository {
    private final java.sql.Connection c;

    CandidateRepository(java.sql.Connection c) {
        this.c = c;
    }

    /** What one candidate row brought: its ids, and what {@link CandidateQuery#fetch} asked for. */
    public record Row(long patient, long study, long series, long instance, byte[] metadata, Map<Integer, String> computed,
                      Map<Integer, String> indexed) {
        /** The computed attribute's value as fetched (a count, or ModalitiesInStudy backslash-joined), or null. */
        public String computed(int tag) { return computed.get(tag); }

        /** Whether the statement fetched this computed attribute (it may still be null: no modality). */
        public boolean fetched(int tag) { return computed.containsKey(tag); }

        /** The index column's value for this attribute, or null. */
        public String indexed(int tag) { return indexed.get(tag); }
    }

    /** Handles one row, inside the page's transaction. */
    @FunctionalInterface
    public interface RowHandler {
        void handle(Row row) throws SQLException;
    }

    /**
     * Hands the candidates with an id above {@code after} to {@code handler}, in id order, at most
     * {@code rows} of them after skipping {@code offset}.
     *
     * @return how many rows were read, and the id of the last one
     */
    public long[] page(CandidateQuery q, long after, int rows, int offset, RowHandler handler) throws SQLException {
        long last = after;
        long read = 0;
        try (PreparedStatement ps = c.prepareStatement(q.pageSql(rows, offset))) {
            int i = 1;
            for (Object v : q.parameters()) {
                if (v instanceof Integer n) {
                    ps.setInt(i++, n);
                } else {
                    ps.setString(i++, (String) v);
                }
            }
            ps.setLong(i, after);
            InlineAnswers inline = q.inline();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    last = rs.getLong(q.idLabel());
                    Map<Integer, String> computed = new HashMap<>();
                    for (Map.Entry<Integer, String> e : inline.columns().entrySet()) {
                        computed.put(e.getKey(), rs.getString(e.getValue()));
                    }
                    Map<Integer, String> indexed = new HashMap<>();
                    for (Map.Entry<Integer, String> e : q.fallbacks().entrySet()) {
                        indexed.put(e.getKey(), rs.getString(e.getValue()));
                    }
                    Row row = new Row(rs.getLong("patient_pk"), rs.getLong("study_pk"), rs.getLong("series_pk"),
                            rs.getLong("instance_pk"), inline.hasMetadata() ? rs.getBytes(InlineAnswers.METADATA) : null,
                            computed, indexed);
                    handler.handle(row);
                }
            }
        }
        return new long[] {read, last};
    }
}
