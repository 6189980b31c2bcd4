import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.sql.*;
import java.util.*;

/**
 * Issue 19, round four: the latency of each serial step of one instance on this disk, as one association meets
 * them in series: create + write 530 KB (+ the xattr), fsync the file, rename, fsync the folder, then an SQLite
 * WAL commit of one row (synchronous=FULL, as serve; and NORMAL for comparison). Arguments: DIR N.
 * Prints p50 / p90 in ms of each step.
 */
public class SerialChain {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]); int n = Integer.parseInt(a[1]);
        Files.createDirectories(dir);
        byte[] data = new byte[530_000]; new Random(1).nextBytes(data);
        String[] steps = {"create+write+xattr", "fsync file", "rename", "fsync folder", "WAL commit FULL", "WAL commit NORMAL"};
        long[][] t = new long[steps.length][n];
        try (Connection full = db(dir.resolve("full.db"), "FULL"); Connection normal = db(dir.resolve("normal.db"), "NORMAL")) {
            for (int i = 0; i < n; i++) {
                Path tmp = dir.resolve(".f" + i + ".tmp"), fin = dir.resolve("f" + i + ".dcm");
                long t0 = System.nanoTime();
                FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ByteBuffer bb = ByteBuffer.wrap(data);
                while (bb.hasRemaining()) ch.write(bb);
                Files.getFileAttributeView(tmp, UserDefinedFileAttributeView.class).write("steadfast.sha256", ByteBuffer.wrap("0".repeat(64).getBytes()));
                long t1 = System.nanoTime();
                ch.force(true);
                long t2 = System.nanoTime();
                ch.close();
                Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE);
                long t3 = System.nanoTime();
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); }
                long t4 = System.nanoTime();
                insert(full, i);
                long t5 = System.nanoTime();
                insert(normal, i);
                long t6 = System.nanoTime();
                t[0][i] = t1 - t0; t[1][i] = t2 - t1; t[2][i] = t3 - t2; t[3][i] = t4 - t3; t[4][i] = t5 - t4; t[5][i] = t6 - t5;
            }
        }
        for (int s = 0; s < steps.length; s++) {
            long[] v = t[s].clone(); Arrays.sort(v);
            System.out.printf("%-20s p50 %6.2f ms  p90 %6.2f ms%n", steps[s], v[n / 2] / 1e6, v[n * 9 / 10] / 1e6);
        }
    }

    static Connection db(Path f, String sync) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=" + sync);
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, uid TEXT UNIQUE, meta BLOB)");
        }
        c.setAutoCommit(false);
        return c;
    }

    static void insert(Connection c, int i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (uid, meta) VALUES (?, ?)")) {
            ps.setString(1, "1.2.3." + i); ps.setBytes(2, new byte[2000]); ps.executeUpdate();
        }
        c.commit();
    }
}
