package dev.steadfast.dicom.fuzz;

import dev.steadfast.dicom.DicomParseException;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.FileMeta;
import dev.steadfast.dicom.io.ParseOutcome;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutations of every corpus file, each parsed from a stream of unknown length, from a
 * file, and through {@code readFileMeta} + {@code readDataset}: only {@link DicomParseException}
 * may escape, each parse within {@link ParseOutcome#TIMEOUT} and an allocation budget.
 *
 * <p>The normal build runs a fixed number of cases from a fixed seed. Longer runs, and the
 * replay of one failing case (its seed is in the failure message):
 * <pre>
 * ./mvnw -pl steadfast-dicom test -Dtest=FuzzTest -Dsteadfast.fuzz.iterations=200000 -Dsteadfast.fuzz.seed=42
 * ./mvnw -pl steadfast-dicom test -Dtest=FuzzTest -Dsteadfast.fuzz.case=-4962768465676381896
 * </pre>
 * Failing inputs are also written to {@code target/fuzz-failures/<case>.dcm}.
 */
class FuzzTest {
    private static final int DEFAULT_ITERATIONS = 3000;
    private static final long DEFAULT_SEED = 0x5EADFA57L;
    private static final int MAX_REPORTED = 10;

    private final Map<String, byte[]> cache = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private List<Corpus.Entry> files;

    @TempDir
    Path tmp;

    record Failure(long caseSeed, String how, Throwable thrown, int[] count) {}

    @Test
    void mutatedCorpusFilesOnlyEverFailWithDicomParseException() throws IOException {
        files = Corpus.all();
        String single = System.getProperty("steadfast.fuzz.case");
        if (single != null) {
            runCase(Long.parseLong(single));
        } else {
            long seed = Long.getLong("steadfast.fuzz.seed", DEFAULT_SEED);
            int iterations = Integer.getInteger("steadfast.fuzz.iterations", DEFAULT_ITERATIONS);
            for (int i = 0; i < iterations && !hung(); i++) {
                runCase(new SplittableRandom(seed + i).nextLong());
            }
        }
        if (!failures.isEmpty()) {
            fail(report());
        }
    }

    private void runCase(long caseSeed) throws IOException {
        Random rnd = new Random(caseSeed);
        Corpus.Entry a = files.get(rnd.nextInt(files.size()));
        Corpus.Entry b = files.get(rnd.nextInt(files.size()));
        Mutation m = new Mutator(rnd).mutate(a.name(), bytes(a), b.name(), bytes(b));
        ReadOptions options = switch (rnd.nextInt(4)) {
            case 0 -> ReadOptions.headerOnly();
            case 1 -> ReadOptions.DEFAULT.withBulkDataThreshold(1024);
            case 2 -> ReadOptions.DEFAULT.withMaxValueLength(1 << 20).withMaxDepth(8);
            default -> ReadOptions.DEFAULT;
        };
        Path file = Files.write(tmp.resolve("case.dcm"), m.bytes());
        long budget = ParseOutcome.budgetFor(m.bytes().length);
        check(caseSeed, m, "stream " + options, budget,
                () -> DicomReader.read(ParseOutcome.unknownLength(m.bytes()), options));
        check(caseSeed, m, "file " + options, budget, () -> DicomReader.readFile(file, options));
        check(caseSeed, m, "readFileMeta+readDataset", budget, () -> {
            BufferedInputStream in = new BufferedInputStream(ParseOutcome.unknownLength(m.bytes()));
            FileMeta meta = DicomReader.readFileMeta(in);
            String ts = meta.transferSyntaxUid();
            return ts == null ? meta : DicomReader.readDataset(in, ts, options);
        });
    }

    private void check(long caseSeed, Mutation m, String how, long budget, ParseOutcome.Parse parse) {
        Throwable thrown = outcome(how, budget, parse);
        if (thrown == null || thrown instanceof DicomParseException) {
            return;
        }
        Failure f = failures.computeIfAbsent(signature(thrown), k -> new Failure(caseSeed, m.description() + " | read: "
                + how, thrown, new int[1]));
        if (f.count()[0]++ == 0) {
            save(caseSeed, m.bytes());
        }
    }

    private static Throwable outcome(String how, long budget, ParseOutcome.Parse parse) {
        try {
            return ParseOutcome.outcome(how, budget, parse);
        } catch (AssertionError timeoutOrBudget) {
            return timeoutOrBudget;
        }
    }

    /** A timed-out parse may still be spinning in its thread; going on would only pile more up. */
    private boolean hung() {
        return failures.values().stream().anyMatch(f -> f.thrown() instanceof AssertionFailedError);
    }

    /** Same exception type thrown from the same place is one bug, however many cases hit it. */
    private static String signature(Throwable t) {
        Throwable root = t instanceof AssertionFailedError || t.getCause() == null ? t : t.getCause();
        String where = Arrays.stream(root.getStackTrace()).filter(e -> e.getClassName().startsWith("dev.steadfast"))
                .findFirst().map(StackTraceElement::toString).orElse("?");
        return t.getClass().getName() + " at " + where;
    }

    private String report() {
        return failures.size() + " distinct failure(s); replay with -Dsteadfast.fuzz.case=<case>\n"
                + failures.entrySet().stream().limit(MAX_REPORTED).map(e -> {
                    Failure f = e.getValue();
                    return "- " + e.getKey() + " (" + f.count()[0] + " cases)\n  case " + f.caseSeed() + ": " + f.how()
                            + "\n  " + f.thrown() + stack(f.thrown());
                }).collect(Collectors.joining("\n"));
    }

    private static String stack(Throwable t) {
        return Arrays.stream(t.getStackTrace()).limit(12).map(e -> "\n    at " + e).collect(Collectors.joining());
    }

    private byte[] bytes(Corpus.Entry e) {
        return cache.computeIfAbsent(e.name(), k -> {
            try {
                return Files.readAllBytes(e.path());
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        });
    }

    private static void save(long caseSeed, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Files.write(dir.resolve(caseSeed + ".dcm"), bytes);
        } catch (IOException ignored) {
            // the report carries the seed; the saved copy is a convenience
        }
    }
}
