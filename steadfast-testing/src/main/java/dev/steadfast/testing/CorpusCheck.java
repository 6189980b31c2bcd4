package dev.steadfast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks every file of the corpus against the size and MD5 that MANIFEST.tsv pins, so a
 * damaged or half-copied corpus fails loudly instead of making a parser look broken. About
 * 50 MB of MD5: a fraction of a second, done once per JVM by {@link Corpus}.
 */
public final class CorpusCheck {
    private CorpusCheck() {}

    /** @throws AssertionError naming every file that is missing or differs from the manifest */
    public static void verify(Path root) {
        List<String> lines = manifest(root);
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        int md5 = column(header, "md5");
        int size = column(header, "size_bytes");
        List<String> damaged = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            Path file = root.resolve(c[0]);
            try {
                long actualSize = Files.size(file);
                if (actualSize != Long.parseLong(c[size].strip())) {
                    damaged.add(c[0] + " (" + actualSize + " bytes, MANIFEST.tsv pins " + c[size].strip() + ")");
                    continue;
                }
                String actual = md5(file);
                if (!actual.equalsIgnoreCase(c[md5].strip())) {
                    damaged.add(c[0] + " (MD5 " + actual + ", MANIFEST.tsv pins " + c[md5].strip() + ")");
                }
            } catch (NoSuchFileException e) {
                damaged.add(c[0] + " (missing)");
            } catch (IOException e) {
                damaged.add(c[0] + " (unreadable: " + e.getMessage() + ")");
            }
        }
        if (!damaged.isEmpty()) {
            throw new AssertionError("the DICOM corpus at " + root + " is damaged; restore these files: "
                    + String.join("; ", damaged));
        }
    }

    static List<String> manifest(Path root) {
        try {
            List<String> lines = Files.readAllLines(root.resolve(CorpusLocation.MANIFEST));
            if (lines.isEmpty()) {
                throw new AssertionError(root.resolve(CorpusLocation.MANIFEST) + " is empty");
            }
            return lines;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + root.resolve(CorpusLocation.MANIFEST), e);
        }
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new AssertionError("MANIFEST.tsv has no " + name + " column (columns: " + header + ")");
        }
        return i;
    }

    private static String md5(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
