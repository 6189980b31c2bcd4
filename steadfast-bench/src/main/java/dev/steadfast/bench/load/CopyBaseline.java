package dev.steadfast.bench.load;

import dev.steadfast.bench.util.Args;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The baseline for {@code steadfast import}: copy every file of a folder the way FileSystemStorage
 * stores one (temporary file, fsync, rename, directory fsync), no parsing and no index, on N threads.
 * What a durable import of the same files cannot beat on this disk.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.load.CopyBaseline --from DIR --to DIR [--threads 2]</pre>
 * Prints {@code files N bytes B seconds S}.
 */
public final class CopyBaseline {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "CopyBaseline --from DIR --to DIR [--threads 2]");
        Path from = Path.of(a.required("from"));
        Path to = Path.of(a.required("to"));
        int threads = a.getInt("threads", 2);
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        long t0 = System.nanoTime();
        long bytes = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Long>> done = files.stream().map(f -> pool.submit(() -> copy(f, from, to))).toList();
            for (Future<Long> d : done) {
                bytes += d.get();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "files %d bytes %d seconds %.3f%n", files.size(), bytes, s);
    }

    private static long copy(Path file, Path from, Path to) throws Exception {
        Path target = to.resolve(from.relativize(file));
        Path dir = Files.createDirectories(target.getParent());
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        long n;
        try (InputStream in = Files.newInputStream(file);
             FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(ch);
            n = in.transferTo(out);
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dc = FileChannel.open(dir, StandardOpenOption.READ)) {
            dc.force(true);
        }
        return n;
    }
}
