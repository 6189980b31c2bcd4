package dev.steadfast.dicom.charset;

import dev.steadfast.testing.Corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Corpus files by name; {@link Corpus} finds the corpus and checks it against MANIFEST.tsv's MD5s. */
final class TestCorpus {

    private TestCorpus() {
    }

    static byte[] read(String file) {
        try {
            return Files.readAllBytes(Corpus.root().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readString(String file) {
        try {
            return Files.readString(Corpus.root().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
