package dev.steadfast.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared corpus of real DICOM files, read through its MANIFEST.tsv. Found by
 * {@link CorpusLocation} ({@code STEADFAST_TESTDATA}, else {@code shared/testdata/dicom} walking
 * up from the working directory) and checked against the manifest's sizes and MD5s once per JVM
 * ({@link CorpusCheck}). A damaged corpus always fails; a missing one skips the test, except
 * under CI ({@code CI=true}) where it fails.
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

        /** The SOP class UID, without the name in brackets. */
        public String sopClassUid() { return sopClass.split(" ")[0]; }

        @Override
        public String toString() { return name; }
    }

    /** Located and checked on first use; every later call answers from here. */
    private static final class Checked {
        static final CorpusLocation.Found FOUND = CorpusLocation.find(System.getenv(), Path.of(""));
        static final AssertionError DAMAGE = FOUND.present() ? check(FOUND.root()) : null;

        private static AssertionError check(Path root) {
            try {
                CorpusCheck.verify(root);
                return null;
            } catch (AssertionError e) {
                return e;
            }
        }
    }

    /** The corpus folder, checked; skips the test when it is absent (fails under CI), fails when damaged. */
    public static Path root() {
        CorpusLocation.Found found = Checked.FOUND;
        requireOrSkip(found.present(), "DICOM corpus not found: looked at " + found.lookedAt());
        if (Checked.DAMAGE != null) {
            throw new AssertionError(Checked.DAMAGE.getMessage(), Checked.DAMAGE);
        }
        return found.root();
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
        List<String> lines = CorpusCheck.manifest(root);
        List<Entry> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            out.add(new Entry(root.resolve(c[0]), c[0], c[3], c[4], c[5], c[7]));
        }
        return out;
    }

    public static List<Entry> wellFormed() {
        return all().stream().filter(e -> !e.corrupt()).toList();
    }

    public static List<Entry> corrupt() {
        return all().stream().filter(Entry::corrupt).toList();
    }
}
