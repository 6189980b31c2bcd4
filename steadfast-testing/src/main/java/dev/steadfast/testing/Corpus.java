package dev.steadfast.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared corpus of real DICOM files ({@code ../shared/testdata/dicom}), read through its
 * MANIFEST.tsv. Tests skip when it is absent, except under CI ({@code CI=true}) where a
 * missing corpus is a failure.
 */
public final class Corpus {
    private Corpus() {}

    /** One MANIFEST row. */
    public record Entry(Path path, String name, String modality, String sopClass, String transferSyntax, String notes) {
        public boolean corrupt() { return name.startsWith("corrupt/"); }

        public Path oracleJson() { return path.resolveSibling(path.getFileName() + ".json"); }

        public Path oracleDump() { return path.resolveSibling(path.getFileName() + ".dcmdump.txt"); }

        /** The transfer syntax UID, without the name in brackets. */
        public String transferSyntaxUid() { return transferSyntax.split(" ")[0]; }

        @Override
        public String toString() { return name; }
    }

    public static Path root() {
        String prop = System.getProperty("steadfast.testdata");
        Path p = prop != null ? Path.of(prop) : Path.of("../shared/testdata/dicom");
        if (!Files.isRegularFile(p.resolve("MANIFEST.tsv"))) {
            Path fallback = Path.of("/work/shared/testdata/dicom");
            p = Files.isRegularFile(fallback.resolve("MANIFEST.tsv")) ? fallback : p;
        }
        requireOrSkip(Files.isRegularFile(p.resolve("MANIFEST.tsv")), "DICOM corpus not found at " + p.toAbsolutePath());
        return p;
    }

    /** Skips the test when a prerequisite is missing, or fails when running under CI. */
    public static void requireOrSkip(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("required under CI: " + what);
        }
        Assumptions.assumeTrue(false, what);
    }

    public static List<Entry> all() {
        Path root = root();
        try {
            List<String> lines = Files.readAllLines(root.resolve("MANIFEST.tsv"));
            List<Entry> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split("\t", -1);
                out.add(new Entry(root.resolve(c[0]), c[0], c[3], c[4], c[5], c[7]));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot read MANIFEST.tsv", e);
        }
    }

    public static List<Entry> wellFormed() {
        return all().stream().filter(e -> !e.corrupt()).toList();
    }

    public static List<Entry> corrupt() {
        return all().stream().filter(Entry::corrupt).toList();
    }
}
