import java.lang.management.*;
import java.nio.*;
import java.nio.channels.*;
import java.nio.file.*;
import java.util.*;

/** CPU of creating the temporary file per instance: beside the target (today) vs in a separate staging folder; write 530 KB, fsync, rename, fsync the folder. */
public class OpenCost {
    public static void main(String[] a) throws Exception {
        Path base = Path.of(a[0]); int n = Integer.parseInt(a[1]); int rounds = Integer.parseInt(a[2]);
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        byte[] data = new byte[530_000]; new Random(1).nextBytes(data);
        for (int r = 0; r < rounds; r++) {
            for (String mode : new String[] {"beside", "staging", "beside-nolock"}) {
                Path dir = base.resolve(mode + r).resolve("series"); Files.createDirectories(dir);
                Path staging = base.resolve(mode + r).resolve(".staging"); Files.createDirectories(staging);
                long openCpu = 0, allCpu = 0; long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long c0 = tm.getCurrentThreadCpuTime();
                    Path target = dir.resolve("1.2.3.4.5.6.7." + i + ".dcm");
                    Path temp = (mode.equals("staging") ? staging : dir).resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
                    FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    if (!mode.endsWith("nolock")) { ch.lock(); Files.exists(temp); }
                    long c1 = tm.getCurrentThreadCpuTime(); openCpu += c1 - c0;
                    ByteBuffer bb = ByteBuffer.wrap(data); while (bb.hasRemaining()) ch.write(bb);
                    ch.force(true);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    ch.close();
                    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); }
                    allCpu += tm.getCurrentThreadCpuTime() - c0;
                }
                System.out.printf("round %d %-14s open+lock %.3f ms/file, all %.3f ms/file, wall %.2f ms/file%n", r, mode, openCpu / 1e6 / n, allCpu / 1e6 / n, (System.nanoTime() - t0) / 1e6 / n);
            }
        }
    }
}
