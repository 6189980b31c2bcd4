package dev.steadfast.archive.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage that holds two instances of different studies naming one Series Instance UID (written
 * before ingest refused that, or by two archives into one folder): reindex indexes one, sets the other
 * aside with a warning and indexes everything else, rather than failing or filing it under the wrong
 * study (Issue18SeriesReusedInAnotherStudyTest covers ingest).
 */
class Issue18ReindexSeriesReusedTest {
    @TempDir
    Path dir;

    @Test
    void reindexSetsAsideTheInstanceWhoseSeriesAnotherStudyHolds() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
        String series = Synthetic.uid();
        String[] studies = {Synthetic.uid(), Synthetic.uid()};
        for (int i = 0; i < 2; i++) { // two indexes, one storage: neither index sees the other's study
            try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index" + i + ".db")))) {
                IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
                ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P", "P^Q", studies[i], series,
                        Synthetic.uid()))), UID.ExplicitVRLittleEndian, "AE");
                ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P", "P^Q", studies[i],
                        Synthetic.uid(), Synthetic.uid()))), UID.ExplicitVRLittleEndian, "AE");
            }
        }
        try (Index fresh = Index.open(IndexConfig.sqlite(dir.resolve("rebuilt.db")))) {
            ReindexReport r = new Reindexer(storage, fresh, 2, 16).run(Progress.NONE);
            assertThat(r.objects()).isEqualTo(4);
            assertThat(r.indexed()).as("all but the one whose series the other study holds").isEqualTo(3);
            long inSeries = fresh.read(tx -> tx.instances().ofSeries(series)).size();
            assertThat(inSeries).isEqualTo(1);
        }
    }
}
