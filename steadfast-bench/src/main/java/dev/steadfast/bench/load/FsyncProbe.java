package dev.steadfast.bench.load;

import dev.steadfast.bench.util.Args;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the disk allows: files/s for writing N files of a given size with no sync, with an fsync of
 * each file, and with the file fsync + rename + directory fsync that FileSystemStorage does; 1 and
 * several threads. The ceiling any durable ingest on this disk has to live under.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.load.FsyncProbe --dir DIR [--files 400] [--size 530000] [--threads 1,4,16]</pre>
 */
public final class FsyncProbe {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "FsyncProbe --dir DIR [--files 400] [--size 530000] [--threads 1,4,16]");
        Path dir = Path.of(a.required("dir"));
        int files = a.getInt("files", 400);
        byte[] data = new byte[a.getInt("size", 530_000)];
        for (String t : a.list("threads", "1,4,16")) {
            for (String mode : List.of("nosync", "fsync", "fsync+rename+dirsync")) {
                int threads = Integer.parseInt(t);
                Path d = dir.resolve(mode + "-" + t);
                Files.createDirectories(d);
                long t0 = System.nanoTime();
                try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int k = 0; k < threads; k++) {
                        int first = k;
                        fs.add(pool.submit(() -> {
                            for (int i = first; i < files; i += threads) {
                                Path target = d.resolve("f" + i);
                                Path tmp = mode.contains("rename") ? d.resolve(".f" + i + ".tmp") : target;
                                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                                    ch.write(ByteBuffer.wrap(data));
                                    if (!mode.equals("nosync")) {
                                        ch.force(true);
                                    }
                                }
                                if (mode.contains("rename")) {
                                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                                    try (FileChannel dc = FileChannel.open(d, StandardOpenOption.READ)) {
                                        dc.force(true);
                                    }
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%-22s threads %2d: %7.0f files/s%n", mode, threads, files / s);
                try (var st = Files.list(d)) {
                    for (Path p : st.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(d);
            }
        }
    }
}
