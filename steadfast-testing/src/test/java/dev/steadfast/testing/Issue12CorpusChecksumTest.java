package dev.steadfast.testing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12: the corpus is found without an absolute path (STEADFAST_TESTDATA, else walking up
 * from the working directory) and a damaged copy fails loudly, naming the file. The lookups run
 * in fresh JVMs, because Corpus locates and checks once per JVM from the real environment.
 */
class Issue12CorpusChecksumTest {
    @TempDir
    Path tmp;

    private Path copy;
    private Path checkout;

    /** A workplace of our own: tmp/shared/testdata/dicom (a copy of the real corpus) beside tmp/checkout. */
    @BeforeEach
    void copyTheCorpus() throws IOException {
        Path real = Corpus.root();
        copy = tmp.resolve("shared/testdata/dicom");
        for (Corpus.Entry e : Corpus.all()) {
            Path to = copy.resolve(e.name());
            Files.createDirectories(to.getParent());
            Files.copy(e.path(), to);
        }
        Files.copy(real.resolve("MANIFEST.tsv"), copy.resolve("MANIFEST.tsv"));
        checkout = Files.createDirectories(tmp.resolve("checkout/steadfast-dicom"));
    }

    @Test
    void anIntactCopyIsFoundByWalkingUpFromTheModuleFolder() throws Exception {
        Result r = probe(checkout, Map.of());
        assertThat(r.output()).startsWith("OK " + Corpus.all().size() + " " + copy);
        assertThat(r.exit()).isZero();
    }

    @Test
    void aCopyWithOneByteFlippedFailsNamingTheFile() throws Exception {
        String victim = Corpus.wellFormed().get(3).name();
        flipOneByte(copy.resolve(victim));

        assertThatThrownBy(() -> CorpusCheck.verify(copy)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(victim).hasMessageContaining("MD5");
        // The same through the lookup tests use, outside CI too: damage is never a skip.
        Result walked = probe(checkout, Map.of());
        assertThat(walked.output()).startsWith("FAILED").contains(victim);
        assertThat(walked.exit()).isEqualTo(1);
        Result named = probe(tmp, Map.of(CorpusLocation.ENV, copy.toString(), "CI", "true"));
        assertThat(named.output()).startsWith("FAILED").contains(victim);
    }

    @Test
    void aMissingFileIsNamedToo() throws Exception {
        String victim = Corpus.all().get(0).name();
        Files.delete(copy.resolve(victim));
        assertThatThrownBy(() -> CorpusCheck.verify(copy)).hasMessageContaining(victim + " (missing)");
    }

    @Test
    void aMissingCorpusSkipsButFailsUnderCi() throws Exception {
        Map<String, String> nowhere = Map.of(CorpusLocation.ENV, tmp.resolve("nowhere").toString());
        assertThat(probe(checkout, nowhere).output()).startsWith("SKIPPED").contains("nowhere");
        Map<String, String> underCi = Map.of(CorpusLocation.ENV, tmp.resolve("nowhere").toString(), "CI", "true");
        Result r = probe(checkout, underCi);
        assertThat(r.output()).startsWith("FAILED").contains("nowhere");
        assertThat(r.exit()).isEqualTo(1);
    }

    private static void flipOneByte(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x01;
        Files.write(file, b);
    }

    private record Result(int exit, String output) {
    }

    /** CorpusProbe in a fresh JVM, in {@code dir}, with only {@code env} of the corpus settings. */
    private static Result probe(Path dir, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), CorpusProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove(CorpusLocation.ENV);
        pb.environment().remove("CI");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        return new Result(p.exitValue(), out);
    }
}
