package dev.steadfast.dicom.charset;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The shared DICOM corpus: found through the {@code steadfast.testdata} property that the
 * pom sets, else beside the checkout. Tests skip where it is missing, unless CI=true.
 */
final class TestCorpus {

    private TestCorpus() {
    }

    static Path root() {
        String property = System.getProperty("steadfast.testdata");
        // Surefire runs in the module folder; the corpus sits beside the repository root.
        Path root = property != null ? Path.of(property) : Path.of("../../shared/testdata/dicom");
        if (!Files.isRegularFile(root.resolve("MANIFEST.tsv"))) {
            String reason = "DICOM test corpus not found at " + root.toAbsolutePath().normalize();
            if ("true".equals(System.getenv("CI"))) {
                fail(reason);
            }
            assumeTrue(false, reason);
        }
        return root;
    }

    /** The file's bytes, after checking them against the MD5 pinned in MANIFEST.tsv. */
    static byte[] read(String file) {
        Path root = root();
        try {
            byte[] bytes = Files.readAllBytes(root.resolve(file));
            String pinned = Files.readAllLines(root.resolve("MANIFEST.tsv")).stream()
                    .filter(line -> line.startsWith(file + "\t"))
                    .map(line -> line.substring(line.lastIndexOf('\t') + 1).strip())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(file + " is not in MANIFEST.tsv"));
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
            if (!actual.equals(pinned)) {
                fail(file + " has MD5 " + actual + ", MANIFEST.tsv pins " + pinned);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String readString(String file) {
        try {
            return Files.readString(root().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
