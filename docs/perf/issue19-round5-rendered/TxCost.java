import java.sql.*; import java.nio.file.*;
public class TxCost {
    public static void main(String[] a) throws Exception {
        Path db = Files.createTempFile("tx", ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, uid TEXT UNIQUE, meta BLOB)");
                PreparedStatement ins = c.prepareStatement("INSERT INTO t (uid, meta) VALUES (?, ?)");
                for (int i = 0; i < 1000; i++) { ins.setString(1, "1.2.3." + i); ins.setBytes(2, new byte[10000]); ins.executeUpdate(); }
            }
            PreparedStatement q = c.prepareStatement("SELECT id, uid, meta FROM t WHERE uid = ?");
            for (int round = 0; round < 6; round++) {
                for (boolean tx : new boolean[] {false, true}) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 20000; i++) {
                        if (tx) c.setAutoCommit(false);
                        q.setString(1, "1.2.3." + (i % 1000));
                        try (ResultSet rs = q.executeQuery()) { rs.next(); rs.getBytes(3); }
                        if (tx) { c.commit(); c.setAutoCommit(true); }
                    }
                    System.out.printf("%s %.1f us per lookup%n", tx ? "tx  " : "auto", (System.nanoTime() - t0) / 1e3 / 20000);
                }
            }
        }
    }
}
