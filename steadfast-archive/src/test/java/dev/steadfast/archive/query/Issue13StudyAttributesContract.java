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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13 on each index database (a subclass per database): which value of a patient, study or
 * series attribute wins when its instances disagree. The latest instance that has a non-empty
 * value wins; an instance that lacks it (absent or empty) changes nothing. Also: an invalid date
 * key is an error naming the attribute, the same in SQL-matched and metadata-matched keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Issue13StudyAttributesContract {
    private Path dir;
    private Index index;
    private IngestService ingest;
    private QueryEngine query;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws IOException {
        dir = Files.createTempDirectory("steadfast-issue13");
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

    @Test
    void anInstanceLackingStudySeriesOrPatientAttributesLeavesThemAsTheyWere() throws Exception {
        String pid = "I13-" + Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        Dataset ct = Synthetic.instance(pid, "Doe^Jane", study, series, Synthetic.uid());
        ct.setString(Tag.SeriesDescription, VR.LO, "AXIAL 1MM");
        ct.setString(Tag.BodyPartExamined, VR.CS, "CHEST");
        store(ct);
        // Same series, then a PDF in another series: no dates, descriptions, birth date or sex.
        Dataset bare = Synthetic.instance(pid, "Doe^Jane", study, series, Synthetic.uid());
        for (int tag : new int[] {Tag.StudyDate, Tag.StudyTime, Tag.StudyDescription, Tag.AccessionNumber, Tag.StudyID,
            Tag.ReferringPhysicianName, Tag.PatientBirthDate, Tag.PatientSex}) {
            bare.remove(tag);
        }
        bare.setString(Tag.StudyDescription, VR.LO, ""); // present but empty: the same as absent
        store(bare);
        Dataset pdf = Synthetic.instance(pid, "Doe^Jane", study, Synthetic.uid(), Synthetic.uid());
        pdf.setString(Tag.SOPClassUID, VR.UI, UID.EncapsulatedPDFStorage);
        pdf.setString(Tag.Modality, VR.CS, "DOC");
        for (int tag : new int[] {Tag.StudyDate, Tag.StudyTime, Tag.StudyDescription, Tag.AccessionNumber,
            Tag.PatientBirthDate, Tag.PatientSex}) {
            pdf.remove(tag);
        }
        store(pdf);

        List<Dataset> byRange = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys(pid, k -> {
            k.setString(Tag.StudyDate, VR.DA, "20240301-20240331");
            k.setNull(Tag.StudyDescription, VR.LO);
            k.setNull(Tag.AccessionNumber, VR.SH);
            k.setNull(Tag.PatientBirthDate, VR.DA);
        })));
        assertThat(byRange).hasSize(1);
        Dataset a = byRange.getFirst();
        assertThat(a.getString(Tag.StudyInstanceUID)).isEqualTo(study);
        assertThat(a.getString(Tag.StudyDescription)).isEqualTo("CHEST 50%_OFF");
        assertThat(a.getString(Tag.AccessionNumber)).isEqualTo("ACC1");
        assertThat(a.getString(Tag.PatientBirthDate)).isEqualTo("19700101");
        assertThat(query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys(pid,
                k -> k.setString(Tag.PatientSex, VR.CS, "O"))))).hasSize(1);
        assertThat(query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.SERIES, keys(pid, k -> {
            k.setNull(Tag.SeriesInstanceUID, VR.UI);
            k.setString(Tag.SeriesDescription, VR.LO, "AXIAL*");
            k.setString(Tag.BodyPartExamined, VR.CS, "CHEST");
        })))).extracting(d -> d.getString(Tag.SeriesInstanceUID)).containsExactly(series);
    }

    @Test
    void aLaterInstanceWithAnotherNonEmptyValueWins() throws Exception {
        String pid = "I13-" + Synthetic.uid();
        String study = Synthetic.uid();
        store(Synthetic.instance(pid, "Doe^Jane", study, Synthetic.uid(), Synthetic.uid()));
        Dataset corrected = Synthetic.instance(pid, "Doe^Jane", study, Synthetic.uid(), Synthetic.uid());
        corrected.setString(Tag.StudyDate, VR.DA, "20240316");
        corrected.setString(Tag.StudyDescription, VR.LO, "CHEST CORRECTED");
        store(corrected);
        List<Dataset> a = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys(pid, k -> {
            k.setString(Tag.StudyDate, VR.DA, "20240316");
            k.setNull(Tag.StudyDescription, VR.LO);
        })));
        assertThat(a).extracting(d -> d.getString(Tag.StudyDescription)).containsExactly("CHEST CORRECTED");
        assertThat(query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys(pid,
                k -> k.setString(Tag.StudyDate, VR.DA, "20240315"))))).isEmpty();
    }

    @Test
    void aValueKeptFromAnEarlierInstanceIsAnsweredWhateverTheLaterOnesCharacterSet() throws Exception {
        String pid = "I13-" + Synthetic.uid();
        String study = Synthetic.uid();
        Dataset ct = new Dataset();
        ct.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        for (var e : Synthetic.instance(pid, "Doe^Jane", study, Synthetic.uid(), Synthetic.uid())) {
            if (e.tag() != Tag.SpecificCharacterSet && e.value() instanceof byte[]) {
                ct.put(e); // ASCII values: the same bytes in Latin-1
            }
        }
        ct.setString(Tag.StudyDescription, VR.LO, "Thorax Übersicht");
        store(ct);
        Dataset pdf = Synthetic.instance(pid, "Doe^Jane", study, Synthetic.uid(), Synthetic.uid());
        pdf.remove(Tag.SpecificCharacterSet); // the default repertoire
        pdf.remove(Tag.StudyDescription);
        store(pdf);
        for (String requested : new String[] {null, "ISO_IR 192", "ISO_IR 100"}) {
            List<Dataset> a = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys(pid, k -> {
                if (requested != null) {
                    k.setString(Tag.SpecificCharacterSet, VR.CS, requested);
                }
                k.setNull(Tag.StudyDescription, VR.LO);
            })));
            assertThat(a).as(String.valueOf(requested)).extracting(d -> d.getString(Tag.StudyDescription))
                    .containsExactly("Thorax Übersicht");
        }
    }

    @Test
    void anInvalidDateNamesTheAttributeWhereverItIsMatched() {
        for (String bad : List.of("20041345", "2004-13-45", "abc", "20240230-")) {
            assertThatThrownBy(() -> query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY,
                    keys("any", k -> k.setString(Tag.StudyDate, VR.DA, bad)))))
                    .as(bad).isInstanceOf(InvalidQueryException.class).hasMessageStartingWith("StudyDate (0008,0020)")
                    .satisfies(e -> assertThat(((InvalidQueryException) e).offendingTag()).isEqualTo(Tag.StudyDate));
        }
        // Not an index column: matched on the stored metadata, refused the same way.
        assertThatThrownBy(() -> query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE,
                keys("any", k -> k.setString(Tag.ContentDate, VR.DA, "20241301")))))
                .isInstanceOf(InvalidQueryException.class).hasMessageStartingWith("ContentDate (0008,0023)");
        assertThatThrownBy(() -> query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE,
                keys("any", k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "2024031510x")))))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("invalid date-time");
        // Valid DT ranges, UTC offsets included, are accepted.
        query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE,
                keys("any", k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "20240315101530+0100-20240316"))));
        query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE,
                keys("any", k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "-2024031610"))));
    }

    private static Dataset keys(String pid, java.util.function.Consumer<Dataset> more) {
        Dataset k = new Dataset();
        k.setString(Tag.PatientID, VR.LO, pid);
        k.setNull(Tag.StudyInstanceUID, VR.UI);
        more.accept(k);
        return k;
    }

    private void store(Dataset ds) throws Exception {
        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "I13");
    }
}
