import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Run by the build (java single-file source, steadfast-server/pom.xml) on the unpacked viewer: writes a gzip
 * copy {@code NAME.gz} beside every compressible file of 1 KB or more, with the original's modification time,
 * which is how the viewer handler knows the copy belongs to that file (as {@code gzip -k} leaves it). Once per
 * build, so serve spends no CPU compressing 60 MB of JavaScript and WebAssembly per visitor. A copy already
 * there with the right time is kept. onnxruntime's 70 MB of WebAssembly (ort/, loaded only by OHIF's AI
 * segmentation tools) is left alone: it would triple the time this takes.
 * Usage: java PrecompressViewer.java DIST
 */
public class PrecompressViewer {
    static final Set<String> COMPRESSIBLE = Set.of("js", "mjs", "css", "html", "json", "jsonc", "wasm", "svg", "xml",
            "txt", "ico", "webmanifest", "map");

    public static void main(String[] args) throws IOException {
        Path dist = Path.of(args[0]);
        long before = System.nanoTime();
        List<Path> files;
        try (Stream<Path> all = Files.walk(dist)) {
            files = all.filter(Files::isRegularFile).filter(PrecompressViewer::compressible)
                    .filter(p -> !dist.relativize(p).startsWith("ort")).toList();
        }
        int written = 0;
        for (Path f : files) {
            Path gz = f.resolveSibling(f.getFileName() + ".gz");
            if (Files.isRegularFile(gz) && Files.getLastModifiedTime(gz).equals(Files.getLastModifiedTime(f))) {
                continue;
            }
            Path tmp = f.resolveSibling(f.getFileName() + ".gz.tmp");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16) {
                { def.setLevel(Deflater.BEST_COMPRESSION); }
            }) {
                Files.copy(f, out);
            }
            Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(f));
            Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written++;
        }
        System.out.printf("viewer: %d gzip copies written, %d up to date (%d ms)%n", written, files.size() - written,
                (System.nanoTime() - before) / 1_000_000);
    }

    static boolean compressible(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        try {
            return dot > 0 && COMPRESSIBLE.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT)) && Files.size(p) >= 1024;
        } catch (IOException e) {
            return false;
        }
    }
}
