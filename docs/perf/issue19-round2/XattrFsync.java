import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.*;
import java.util.concurrent.*;

/** 4 writers: write 530 KB, [xattr], fsync, rename, fsync dir; wall ms per file by xattr variant, alternating. */
public class XattrFsync {
    public static void main(String[] a) throws Exception {
        Path root = Path.of(a[0]); int threads = Integer.parseInt(a[1]); int files = Integer.parseInt(a[2]); int rounds = Integer.parseInt(a[3]);
        byte[] data = new byte[530_000]; new Random(1).nextBytes(data);
        Map<String, List<Double>> res = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) for (String v : List.of("none", "hex64", "raw32")) {
            Path dir = root.resolve(v + r); Files.createDirectories(dir);
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) { int tt = t; fs.add(pool.submit(() -> {
                for (int i = tt; i < files; i += threads) {
                    Path tmp = dir.resolve(".f" + i + ".tmp"), fin = dir.resolve("f" + i);
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        ByteBuffer b = ByteBuffer.wrap(data); while (b.hasRemaining()) ch.write(b);
                        UserDefinedFileAttributeView view = Files.getFileAttributeView(tmp, UserDefinedFileAttributeView.class);
                        if (v.equals("hex64")) view.write("steadfast.sha256", ByteBuffer.wrap(new byte[64]));
                        if (v.equals("raw32")) view.write("steadfast.sha256.bin", ByteBuffer.wrap(new byte[32]));
                        ch.force(true);
                    }
                    Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE);
                    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); }
                }
                return null; })); }
            for (var f : fs) f.get(); pool.shutdown();
            double ms = (System.nanoTime() - t0) / 1e6 / files;
            res.computeIfAbsent(v, k -> new ArrayList<>()).add(ms);
            System.out.printf("round %d %-6s %.2f ms/file (%s)%n", r, v, ms, new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
            try (var s = Files.walk(dir)) { s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
        }
        res.forEach((k, l) -> { Collections.sort(l); System.out.printf("median %-6s %.2f ms/file %s%n", k, l.get(l.size() / 2), l); });
    }
}
