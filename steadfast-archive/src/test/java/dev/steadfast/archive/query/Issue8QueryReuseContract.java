package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, query latency on PostgreSQL: the per-match statements (latest instance, counts,
 * modalities) are kept per connection and the latest instance is found by its id alone. These
 * check that answers stay right when the same statements serve many queries (past the driver's
 * switch to server-side prepared statements after five uses) and the data changes between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Issue8QueryReuseContract {
    protected Path dir;
    protected Index index;
    private IngestService ingest;
    private QueryEngine query;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-issue8-query");
        index = Index.open(indexConfig(dir));
        ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
        query = new QueryEngine(index, QueryConfig.DEFAULT);
    }

    @AfterAll
    void close() throws IOException {
        if (index != null) {
            index.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void store(String pid, String study, String series, String modality, String institution) throws Exception {
        Dataset ds = Synthetic.instance(pid, "Reuse^Test", study, series, Synthetic.uid());
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.InstitutionName, VR.LO, institution);
        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "ISSUE8");
    }

    private Dataset only(QueryLevel level, String pid, int... countTags) {
        Dataset keys = new Dataset();
        keys.setString(Tag.PatientID, VR.LO, pid);
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        keys.setNull(Tag.InstitutionName, VR.LO);
        keys.setNull(Tag.ModalitiesInStudy, VR.CS);
        for (int t : countTags) {
            keys.setNull(t, VR.IS);
        }
        InformationModel model = level == QueryLevel.PATIENT ? InformationModel.PATIENT_ROOT : InformationModel.STUDY_ROOT;
        List<Dataset> all = query.queryAll(QueryRequest.of(model, level, keys));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void repeatedQueriesAnswerFromTheLatestInstanceAndCurrentCounts() throws Exception {
        String pid = "REUSE" + Synthetic.uid();
        String study = Synthetic.uid();
        String ct = Synthetic.uid();
        store(pid, study, ct, "CT", "First");
        store(pid, study, ct, "CT", "Second");
        for (int i = 0; i < 8; i++) { // beyond pgJDBC's prepareThreshold of 5
            Dataset s = only(QueryLevel.STUDY, pid, Tag.NumberOfStudyRelatedInstances, Tag.NumberOfStudyRelatedSeries);
            assertThat(s.getString(Tag.InstitutionName)).isEqualTo("Second");
            assertThat(s.getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo("2");
            assertThat(s.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("1");
            assertThat(s.getStrings(Tag.ModalitiesInStudy)).containsExactly("CT");
        }
        // A later instance in a new series: every level now answers from it, and the counts follow.
        store(pid, study, Synthetic.uid(), "MR", "Third");
        Dataset s = only(QueryLevel.STUDY, pid, Tag.NumberOfStudyRelatedInstances, Tag.NumberOfStudyRelatedSeries);
        assertThat(s.getString(Tag.InstitutionName)).isEqualTo("Third");
        assertThat(s.getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo("3");
        assertThat(s.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("2");
        assertThat(s.getStrings(Tag.ModalitiesInStudy)).containsExactlyInAnyOrder("CT", "MR");
        Dataset p = only(QueryLevel.PATIENT, pid, Tag.NumberOfPatientRelatedInstances);
        assertThat(p.getString(Tag.InstitutionName)).isEqualTo("Third");
        assertThat(p.getString(Tag.NumberOfPatientRelatedInstances)).isEqualTo("3");
        // The CT series still answers from its own latest instance, not the study's.
        Dataset keys = new Dataset();
        keys.setString(Tag.PatientID, VR.LO, pid);
        keys.setString(Tag.SeriesInstanceUID, VR.UI, ct);
        keys.setNull(Tag.InstitutionName, VR.LO);
        keys.setNull(Tag.NumberOfSeriesRelatedInstances, VR.IS);
        List<Dataset> series = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.SERIES, keys));
        assertThat(series).singleElement().satisfies(d -> {
            assertThat(d.getString(Tag.InstitutionName)).isEqualTo("Second");
            assertThat(d.getString(Tag.NumberOfSeriesRelatedInstances)).isEqualTo("2");
        });
    }

    @Test
    void aKeyMatchedOnStoredMetadataStillPicksTheInstanceThatMatches() throws Exception {
        String pid = "REUSE" + Synthetic.uid();
        String study = Synthetic.uid();
        store(pid, study, Synthetic.uid(), "CT", "Older");
        store(pid, study, Synthetic.uid(), "CT", "Newer");
        for (int i = 0; i < 7; i++) {
            Dataset keys = new Dataset();
            keys.setString(Tag.PatientID, VR.LO, pid);
            keys.setNull(Tag.StudyInstanceUID, VR.UI);
            keys.setString(Tag.InstitutionName, VR.LO, "Older");
            List<Dataset> all = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys));
            assertThat(all).singleElement().satisfies(d -> assertThat(d.getString(Tag.InstitutionName)).isEqualTo("Older"));
        }
    }
}
