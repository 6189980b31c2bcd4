package dev.steadfast.archive.ingest;

import dev.steadfast.archive.index.IndexException;

/**
 * Test-support seam, never set in production: the system property {@value #PROPERTY} makes an in-place
 * replacement (duplicate policy replace) stop at one chosen point, so the regression tests of issue 14 can
 * crash or fail it there deterministically. Read only on the replacement path (a first store never asks).
 * <ul>
 *   <li>{@code halt-after-storage}: the process halts (as kill -9) once the new bytes are in place in storage,
 *       before the index transaction commits;</li>
 *   <li>{@code halt-after-record}: the process halts once the index (or the journal) recorded the new version,
 *       before the previous copy kept aside is dropped;</li>
 *   <li>{@code index-fails}: the index call fails as if the database were unreachable.</li>
 * </ul>
 */
final class ReplacementFaults {
    static final String PROPERTY = "steadfast.test.replacement-fault";

    private ReplacementFaults() {
    }

    static void afterStorageReplaced() {
        if ("halt-after-storage".equals(System.getProperty(PROPERTY))) {
            Runtime.getRuntime().halt(137);
        }
    }

    static void afterRecorded() {
        if ("halt-after-record".equals(System.getProperty(PROPERTY))) {
            Runtime.getRuntime().halt(137);
        }
    }

    static void beforeIndexRecord() throws IndexException {
        if ("index-fails".equals(System.getProperty(PROPERTY))) {
            throw new IndexException("index unreachable (test fault " + PROPERTY + ")", null, true);
        }
    }
}
