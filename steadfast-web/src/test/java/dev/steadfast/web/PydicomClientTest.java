package dev.steadfast.web;

import dev.steadfast.testing.Corpus;
import dev.steadfast.web.testing.TestArchive;
import dev.steadfast.web.testing.Tools;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus through a DICOMweb client we did not write against our server: Python urllib for
 * HTTP and pydicom for DICOM (src/test/python/dicomweb_roundtrip.py). STOW-RS of every storable
 * file, then per instance QIDO-RS, WADO-RS (bytes, metadata, BulkDataURI, frame 1, 406) and
 * WADO-URI, each checked against pydicom's reading of the original file.
 */
class PydicomClientTest {
    /** Files left out, and why. */
    private static final Set<String> EXCLUDED = Set.of(
            "misc/fo-dicom__DICOMDIR",      // a directory, not a storable instance
            "mr/fo-dicom__GH1339.dcm");     // pydicom cannot read it

    @Test
    void pydicomClientStoresFindsAndRetrievesTheCorpus() throws Exception {
        Tools.requirePython();
        List<String> command = new ArrayList<>(List.of(Tools.PYTHON.toString(), "-W", "ignore",
                Tools.script("dicomweb_roundtrip.py").toString()));
        try (TestArchive archive = new TestArchive()) {
            command.add(archive.base().toString());
            for (Corpus.Entry e : Corpus.wellFormed()) {
                if (!EXCLUDED.contains(e.name())) {
                    command.add(e.path().toString());
                }
            }
            Tools.Result r = Tools.run(command, 300);
            assertThat(r.output()).as(r.output()).contains("ALL OK");
            assertThat(r.exit()).isZero();
            assertThat(r.output().lines().filter(l -> l.startsWith("ok ")).count()).isGreaterThan(70);
        }
    }
}
