package dev.steadfast.bench.seed;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows buffered per table and written together in the caller's transaction, parents first (the
 * foreign keys): {@link Batch} as JDBC batches of one prepared INSERT (SQLite), {@link Copy} as one
 * {@code COPY ... FROM STDIN} per table (PostgreSQL).
 */
abstract sealed class BulkRows {
    private final Map<String, String[]> columns = new LinkedHashMap<>();
    private final Map<String, List<Object[]>> pending = new LinkedHashMap<>();

    BulkRows() {
        // parents before children, whatever order rows arrive in
        for (String t : List.of("patient", "study", "series", "instance")) {
            pending.put(t, new ArrayList<>());
        }
    }

    void add(String table, String[] cols, Object[] row) {
        columns.putIfAbsent(table, cols);
        pending.get(table).add(row);
    }

    void flush() throws SQLException {
        for (Map.Entry<String, List<Object[]>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                write(e.getKey(), columns.get(e.getKey()), e.getValue());
                e.getValue().clear();
            }
        }
    }

    abstract void write(String table, String[] cols, List<Object[]> rows) throws SQLException;

    static final class Batch extends BulkRows {
        private final Connection c;

        Batch(Connection c) {
            this.c = c;
        }

        @Override
        void write(String table, String[] cols, List<Object[]> rows) throws SQLException {
            String sql = "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES ("
                    + "?, ".repeat(cols.length - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int n = 0;
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.addBatch();
                    if (++n % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
        }
    }

    static final class Copy extends BulkRows {
        private static final HexFormat HEX = HexFormat.of();
        private final CopyManager copy;

        Copy(Connection c) throws SQLException {
            this.copy = c.unwrap(PGConnection.class).getCopyAPI();
        }

        @Override
        void write(String table, String[] cols, List<Object[]> rows) throws SQLException {
            StringBuilder sb = new StringBuilder(rows.size() * 512);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        sb.append('\t');
                    }
                    Object v = row[i];
                    if (v == null) {
                        sb.append("\\N");
                    } else if (v instanceof byte[] b) {
                        sb.append("\\\\x").append(HEX.formatHex(b)); // bytea hex input, its backslash escaped for COPY
                    } else {
                        escape(sb, v.toString());
                    }
                }
                sb.append('\n');
            }
            try {
                copy.copyIn("COPY " + table + " (" + String.join(", ", cols) + ") FROM STDIN",
                        new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new SQLException(e);
            }
        }

        private static void escape(StringBuilder sb, String s) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '\\' -> sb.append("\\\\");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(ch);
                }
            }
        }
    }
}
