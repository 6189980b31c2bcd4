package dev.steadfast.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the shared DICOM corpus is: {@code STEADFAST_TESTDATA} when set, else the first
 * {@code shared/testdata/dicom} found walking up from the working directory (a module folder,
 * the repository root, then its ancestors, which covers the usual {@code ../shared} beside the
 * checkout). No absolute path is assumed, so any clone next to a {@code shared} folder works.
 */
public final class CorpusLocation {
    public static final String ENV = "STEADFAST_TESTDATA";
    static final Path RELATIVE = Path.of("shared", "testdata", "dicom");
    static final String MANIFEST = "MANIFEST.tsv";

    private CorpusLocation() {}

    /** The outcome: the folder holding MANIFEST.tsv, or null with what was looked at. */
    public record Found(Path root, String lookedAt) {
        public boolean present() { return root != null; }
    }

    public static Found find(Map<String, String> env, Path workingDir) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            // An explicit setting is never second-guessed: a wrong one must be noticed, not bypassed.
            return Files.isRegularFile(p.resolve(MANIFEST)) ? new Found(p, ENV + "=" + p)
                    : new Found(null, ENV + "=" + p + " (no " + MANIFEST + " there)");
        }
        Path start = workingDir.toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate.resolve(MANIFEST))) {
                return new Found(candidate, candidate.toString());
            }
        }
        return new Found(null, RELATIVE + " in " + start + " and its ancestors (or set " + ENV + ")");
    }
}
