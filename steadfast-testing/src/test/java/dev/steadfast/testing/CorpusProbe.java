package dev.steadfast.testing;

import org.opentest4j.TestAbortedException;

/** Run in a fresh JVM by Issue12CorpusChecksumTest: what Corpus answers there, as one line and an exit code. */
public final class CorpusProbe {
    private CorpusProbe() {}

    public static void main(String[] args) {
        try {
            System.out.println("OK " + Corpus.all().size() + " " + Corpus.root());
        } catch (TestAbortedException e) {
            System.out.println("SKIPPED " + e.getMessage());
            System.exit(2);
        } catch (AssertionError e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
    }
}
