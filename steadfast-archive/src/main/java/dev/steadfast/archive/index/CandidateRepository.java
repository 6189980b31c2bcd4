package dev.steadfast.archive.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads the candidates of a {@link CandidateQuery}: their ids, then one page (one short transaction) at a time. */
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
     * The ids of the candidates, in id order: all of them, or {@code limit} after skipping
     * {@code offset} (for a query whose candidates all match); {@code limit} 0 for no limit.
     */
    public long[] ids(CandidateQuery q, int offset, long limit) throws SQLException {
        long[] ids = new long[64];
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(q.idsSql(offset, limit))) {
            ps.setFetchSize(1024);
            int i = 1;
            for (Object v : q.parameters()) {
                if (v instanceof Integer x) {
                    ps.setInt(i++, x);
                } else {
                    ps.setString(i++, (String) v);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == ids.length) {
                        ids = java.util.Arrays.copyOf(ids, n * 2);
                    }
                    ids[n++] = rs.getLong(1);
                }
            }
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /** Hands the candidates {@code ids[from..to)} (as listed by {@link #ids}) to {@code handler}, in id order. */
    public void page(CandidateQuery q, long[] ids, int from, int to, RowHandler handler) throws SQLException {
        if (from >= to) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(q.pageSql(to - from))) {
            for (int i = from; i < to; i++) {
                ps.setLong(i - from + 1, ids[i]);
            }
            InlineAnswers inline = q.inline();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<Integer, String> computed = new HashMap<>();
                    for (Map.Entry<Integer, String> e : inline.columns().entrySet()) {
                        computed.put(e.getKey(), rs.getString(e.getValue()));
                    }
                    Map<Integer, String> indexed = new HashMap<>();
                    for (Map.Entry<Integer, String> e : q.fallbacks().entrySet()) {
                        indexed.put(e.getKey(), rs.getString(e.getValue()));
                    }
                    handler.handle(new Row(rs.getLong("patient_pk"), rs.getLong("study_pk"), rs.getLong("series_pk"),
                            rs.getLong("instance_pk"), inline.hasMetadata() ? rs.getBytes(InlineAnswers.METADATA) : null,
                            computed, indexed));
                }
            }
        }
    }
}
