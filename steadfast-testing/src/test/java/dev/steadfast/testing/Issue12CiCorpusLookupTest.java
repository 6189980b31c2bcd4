package dev.steadfast.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: .ci/run finds the corpus as the tests do (.ci/find-corpus), with no absolute path first. */
class Issue12CiCorpusLookupTest {
    @TempDir
    Path tmp;

    @Test
    void walksUpFromTheCheckoutToSharedTestdata() throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("shared/testdata/dicom"));
        Files.writeString(corpus.resolve("MANIFEST.tsv"), "file\tmd5\n");
        Path module = Files.createDirectories(tmp.resolve("clone/steadfast-dicom"));

        assertThat(findCorpus(module, Map.of())).isEqualTo("0 " + corpus);
        assertThat(findCorpus(tmp, Map.of(CorpusLocation.ENV, corpus.toString()))).isEqualTo("0 " + corpus);
    }

    @Test
    void aWrongSettingStopsWithAMessageInsteadOfLookingElsewhere() throws Exception {
        Path nowhere = tmp.resolve("nowhere");
        String out = findCorpus(tmp, Map.of(CorpusLocation.ENV, nowhere.toString()));
        assertThat(out).startsWith("1 DICOM corpus not found").contains(nowhere.toString());
    }

    /** Exit code, a space, then what the script printed (stdout and stderr). */
    private static String findCorpus(Path dir, Map<String, String> env) throws Exception {
        Path script = Checkout.root().resolve(".ci/find-corpus");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString())).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove(CorpusLocation.ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + out;
    }
}
