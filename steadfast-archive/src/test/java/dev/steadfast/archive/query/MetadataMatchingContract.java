package dev.steadfast.archive.query;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Matching on attributes that are not index columns (PS3.4 C.2.2.2, sequences included), the
 * character set of keys and answers, and UIDs answered without extra padding; run against each
 * index database by a subclass. One made-up patient, two studies:
 * <ul>
 * <li>A: three CT images from "Hôpital Nord", station CT01, protocol CHEST ROUTINE, procedure codes
 *     CTCHEST (LN) and XYZ (99LOCAL), acquired 2024-03-15 10:15:30; plus an SR without institution;</li>
 * <li>B: one MR image from "Klinik Süd", procedure code MRKNEE (LN), acquired 2024-03-16 23:30.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetadataMatchingContract {
    private Path dir;
    private Index index;
    private QueryEngine query;
    private String pid;
    private String studyA;
    private String studyB;
    private String seriesCt;
    private String seriesSr;
    private String frameOfReference;

    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws Exception {
        dir = Files.createTempDirectory("steadfast-matching-test");
        index = Index.open(indexConfig(dir));
        IngestService ingest = new IngestService(new FileSystemStorage(dir.resolve("storage")), index, IngestConfig.DEFAULT);
        query = new QueryEngine(index, QueryConfig.DEFAULT);
        pid = "MATCH" + Synthetic.uid();
        studyA = Synthetic.uid();
        studyB = Synthetic.uid();
        seriesCt = Synthetic.uid();
        seriesSr = Synthetic.uid();
        String uid = Synthetic.uid(); // its length varies
        frameOfReference = uid.length() % 2 == 0 ? uid + "1" : uid; // odd, so the answer keeps one NUL of padding
        for (int i = 1; i <= 3; i++) {
            Dataset ct = Synthetic.instance(pid, "Müller^Jürgen", studyA, seriesCt, Synthetic.uid());
            ct.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i));
            ct.setString(Tag.InstitutionName, VR.LO, "Hôpital Nord");
            ct.setString(Tag.StationName, VR.SH, "CT01");
            ct.setString(Tag.ProtocolName, VR.LO, "CHEST ROUTINE");
            ct.setString(Tag.PerformingPhysicianName, VR.PN, "Jürgens^Anna");
            ct.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
            ct.setString(Tag.SliceThickness, VR.DS, "1.25");
            ct.setString(Tag.AcquisitionDateTime, VR.DT, "20240315101530");
            // A stored UID padded with several NULs, as some modalities write them.
            ct.setBytes(Tag.FrameOfReferenceUID, VR.UI, (frameOfReference + "\0\0\0").getBytes(StandardCharsets.US_ASCII));
            Sequence codes = ct.newSequence(Tag.ProcedureCodeSequence);
            code(codes.addItem(), "CTCHEST", "LN", "CT Chest");
            code(codes.addItem(), "XYZ", "99LOCAL", "Local code");
            Dataset request = ct.newSequence(Tag.RequestAttributesSequence).addItem();
            request.setString(Tag.RequestedProcedureID, VR.SH, "RP1");
            code(request.newSequence(Tag.ScheduledProtocolCodeSequence).addItem(), "P1", "99LOCAL", "Protocol one");
            store(ingest, ct);
        }
        Dataset sr = Synthetic.instance(pid, "Müller^Jürgen", studyA, seriesSr, Synthetic.uid());
        sr.setString(Tag.Modality, VR.CS, "SR");
        sr.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        store(ingest, sr);
        Dataset mr = Synthetic.instance(pid, "Müller^Jürgen", studyB, Synthetic.uid(), Synthetic.uid());
        mr.setString(Tag.Modality, VR.CS, "MR");
        mr.setString(Tag.StudyDate, VR.DA, "20240316");
        mr.setString(Tag.InstitutionName, VR.LO, "Klinik Süd");
        mr.setString(Tag.StationName, VR.SH, "MR02");
        mr.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY");
        mr.setString(Tag.SliceThickness, VR.DS, "3");
        mr.setString(Tag.AcquisitionDateTime, VR.DT, "20240316233000");
        code(mr.newSequence(Tag.ProcedureCodeSequence).addItem(), "MRKNEE", "LN", "MR Knee");
        store(ingest, mr);
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    private static void store(IngestService ingest, Dataset ds) throws Exception {
        ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MATCH");
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

    /** Keys in UTF-8, scoped to this test's patient, with {@code more} added. */
    private Dataset keys(Consumer<Dataset> more) {
        Dataset keys = new Dataset();
        keys.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        keys.setString(Tag.PatientID, VR.LO, pid);
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        keys.setNull(Tag.SeriesInstanceUID, VR.UI);
        keys.setNull(Tag.SOPInstanceUID, VR.UI);
        more.accept(keys);
        return keys;
    }

    private List<Dataset> find(QueryLevel level, Consumer<Dataset> more) {
        return query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, level, keys(more)));
    }

    private List<String> studies(Consumer<Dataset> more) {
        return find(QueryLevel.STUDY, more).stream().map(d -> d.getString(Tag.StudyInstanceUID)).toList();
    }

    private List<String> images(Consumer<Dataset> more) {
        return find(QueryLevel.IMAGE, more).stream().map(d -> d.getString(Tag.SeriesInstanceUID)).toList();
    }

    @Test
    void studiesMatchOnAttributesThatAreNotIndexColumns() {
        assertThat(studies(k -> { })).containsExactly(studyA, studyB);
        assertThat(studies(k -> k.setString(Tag.InstitutionName, VR.LO, "Hôpital Nord"))).containsExactly(studyA);
        assertThat(studies(k -> k.setString(Tag.InstitutionName, VR.LO, "Klinik*"))).containsExactly(studyB);
        assertThat(studies(k -> k.setString(Tag.InstitutionName, VR.LO, "*N?rd"))).containsExactly(studyA);
        assertThat(studies(k -> k.setString(Tag.InstitutionName, VR.LO, "hôpital nord"))).as("LO is case-sensitive")
                .isEmpty();
        assertThat(studies(k -> k.setString(Tag.InstitutionName, VR.LO, "Hôpital"))).as("no prefix match").isEmpty();
        assertThat(studies(k -> k.setString(Tag.InstitutionName, VR.LO, "*"))).containsExactly(studyA, studyB);
        assertThat(studies(k -> k.setString(Tag.StationName, VR.SH, "CT01\\MR02"))).containsExactly(studyA, studyB);
        assertThat(studies(k -> {
            k.setString(Tag.StationName, VR.SH, "CT01");
            k.setString(Tag.ProtocolName, VR.LO, "CHEST*");
        })).containsExactly(studyA);
        assertThat(studies(k -> {
            k.setString(Tag.StationName, VR.SH, "MR02");
            k.setString(Tag.ProtocolName, VR.LO, "CHEST*");
        })).as("all keys must match").isEmpty();
        // Series-level attributes at the study level: a study matches if one of its series does.
        assertThat(studies(k -> k.setString(Tag.Modality, VR.CS, "SR"))).containsExactly(studyA);
        assertThat(studies(k -> k.setString(Tag.BodyPartExamined, VR.CS, "KNEE"))).isEmpty();
        assertThat(studies(k -> k.setString(Tag.SOPClassesInStudy, VR.UI, UID.ComprehensiveSRStorage)))
                .containsExactly(studyA);
        Dataset patient = new Dataset();
        patient.setString(Tag.PatientID, VR.LO, pid);
        patient.setString(Tag.ModalitiesInStudy, VR.CS, "MR");
        assertThat(query.queryAll(QueryRequest.of(InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, patient)))
                .hasSize(1);
        patient.setString(Tag.ModalitiesInStudy, VR.CS, "US");
        assertThat(query.queryAll(QueryRequest.of(InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, patient)))
                .as("a patient with no US study").isEmpty();
        // Person names ignore case as configured, like the indexed ones.
        assertThat(studies(k -> k.setString(Tag.PerformingPhysicianName, VR.PN, "jürgens*"))).containsExactly(studyA);
        assertThat(studies(k -> k.setString(Tag.PerformingPhysicianName, VR.PN, "JÜRGENS^ANNA"))).containsExactly(studyA);
    }

    @Test
    void theAnswerComesFromTheInstanceThatMatched() {
        // The SR is the latest instance of study A but has no institution: the answer is the CT's.
        List<Dataset> r = find(QueryLevel.STUDY, k -> k.setString(Tag.InstitutionName, VR.LO, "Hôpital*"));
        assertThat(r).hasSize(1);
        assertThat(r.get(0).getString(Tag.InstitutionName)).isEqualTo("Hôpital Nord");
        List<Dataset> series = find(QueryLevel.SERIES, k -> k.setString(Tag.InstitutionName, VR.LO, "Hôpital*"));
        assertThat(series).extracting(d -> d.getString(Tag.SeriesInstanceUID)).containsExactly(seriesCt);
        List<Dataset> plain = find(QueryLevel.STUDY, k -> k.setNull(Tag.InstitutionName, VR.LO));
        assertThat(plain).extracting(d -> d.getString(Tag.InstitutionName)).as("without the key: the latest instance")
                .containsExactly(null, "Klinik Süd");
    }

    @Test
    void numbersDatesTimesAndMultipleValuesMatchByTheirKind() {
        assertThat(images(k -> k.setString(Tag.ImageType, VR.CS, "AXIAL"))).as("any stored value")
                .containsExactly(seriesCt, seriesCt, seriesCt);
        assertThat(images(k -> k.setString(Tag.SliceThickness, VR.DS, "1.250"))).as("DS as numbers")
                .containsExactly(seriesCt, seriesCt, seriesCt);
        assertThat(images(k -> k.setString(Tag.SliceThickness, VR.DS, "1.2"))).isEmpty();
        assertThat(images(k -> k.setInt(Tag.Rows, VR.US, 64))).hasSize(5);
        assertThat(images(k -> k.setInt(Tag.Rows, VR.US, 512))).isEmpty();
        assertThat(studies(k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "20240315"))).containsExactly(studyA);
        assertThat(studies(k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "202403161200-"))).containsExactly(studyB);
        assertThat(studies(k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "-20240315235959"))).containsExactly(studyA);
        assertThat(studies(k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "2024"))).containsExactly(studyA, studyB);
        assertThat(studies(k -> k.setString(Tag.AcquisitionDateTime, VR.DT, "2023"))).isEmpty();
        assertThat(studies(k -> k.setString(Tag.FrameOfReferenceUID, VR.UI, "9.9\\" + frameOfReference)))
                .as("UID list against a NUL-padded stored UID").containsExactly(studyA);
        assertThatThrownBy(() -> images(k -> k.setString(Tag.SliceThickness, VR.DS, "thick")))
                .isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void pagingCountsOnlyWhatTheStoredMetadataMatched() {
        Consumer<Dataset> ct = k -> {
            k.setString(Tag.InstitutionName, VR.LO, "Hôpital Nord");
            k.setNull(Tag.InstanceNumber, VR.IS);
        };
        QueryRequest all = QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, keys(ct));
        assertThat(query.queryAll(all)).extracting(d -> d.getInt(Tag.InstanceNumber, -1)).containsExactly(1, 2, 3);
        assertThat(query.queryAll(all.withPage(1, 1))).extracting(d -> d.getInt(Tag.InstanceNumber, -1))
                .containsExactly(2);
        assertThat(query.queryAll(all.withPage(2, 5))).extracting(d -> d.getInt(Tag.InstanceNumber, -1))
                .containsExactly(3);
        QueryEngine capped = new QueryEngine(index, new QueryConfig(true, 2));
        assertThat(capped.queryAll(all)).hasSize(2);
    }

    private static Consumer<Dataset> procedure(Consumer<Dataset> item) {
        return k -> item.accept(k.newSequence(Tag.ProcedureCodeSequence).addItem());
    }

    @Test
    void sequenceKeysMatchWhenOneStoredItemMatchesAllTheirKeys() {
        assertThat(studies(procedure(i -> i.setString(Tag.CodeValue, VR.SH, "MRKNEE")))).containsExactly(studyB);
        assertThat(studies(procedure(i -> {
            i.setString(Tag.CodeValue, VR.SH, "CT*");
            i.setString(Tag.CodingSchemeDesignator, VR.SH, "LN");
        }))).containsExactly(studyA);
        assertThat(studies(procedure(i -> {
            i.setString(Tag.CodeValue, VR.SH, "XYZ");
            i.setString(Tag.CodingSchemeDesignator, VR.SH, "LN");
        }))).as("both keys must match in the same item").isEmpty();
        assertThat(studies(procedure(i -> {
            i.setString(Tag.CodeValue, VR.SH, "XYZ");
            i.setString(Tag.CodingSchemeDesignator, VR.SH, "99LOCAL");
        }))).containsExactly(studyA);
        assertThat(studies(procedure(i -> i.setString(Tag.CodingSchemeDesignator, VR.SH, "LN"))))
                .containsExactly(studyA, studyB);
        assertThat(studies(procedure(i -> i.setNull(Tag.CodeValue, VR.SH)))).as("universal item keys")
                .containsExactly(studyA, studyB);
        // Recursive: a sequence inside the item.
        assertThat(studies(k -> k.newSequence(Tag.RequestAttributesSequence).addItem()
                .newSequence(Tag.ScheduledProtocolCodeSequence).addItem().setString(Tag.CodeValue, VR.SH, "P1")))
                .containsExactly(studyA);
        assertThat(studies(k -> k.newSequence(Tag.RequestAttributesSequence).addItem()
                .newSequence(Tag.ScheduledProtocolCodeSequence).addItem().setString(Tag.CodeValue, VR.SH, "P2")))
                .isEmpty();
    }

    @Test
    void sequenceReturnKeysGiveTheMatchingItemsOrTheWholeStoredSequence() {
        Dataset a = find(QueryLevel.STUDY, procedure(i -> {
            i.setString(Tag.CodeValue, VR.SH, "CT*");
            i.setNull(Tag.CodingSchemeDesignator, VR.SH);
        })).get(0);
        Sequence matched = a.getSequence(Tag.ProcedureCodeSequence);
        assertThat(matched.size()).isEqualTo(1);
        assertThat(matched.get(0).getString(Tag.CodeValue)).isEqualTo("CTCHEST");
        assertThat(matched.get(0).getString(Tag.CodingSchemeDesignator)).isEqualTo("LN");
        assertThat(matched.get(0).contains(Tag.CodeMeaning)).as("only the requested attributes").isFalse();

        List<Dataset> whole = find(QueryLevel.SERIES, k -> k.newSequence(Tag.ProcedureCodeSequence));
        assertThat(whole).extracting(d -> d.getSequence(Tag.ProcedureCodeSequence).size()).containsExactly(2, 0, 1);
        Sequence all = whole.get(0).getSequence(Tag.ProcedureCodeSequence);
        assertThat(all.get(0).getString(Tag.CodeValue)).isEqualTo("CTCHEST");
        assertThat(all.get(1).getString(Tag.CodeMeaning)).isEqualTo("Local code");
        assertThat(whole.get(2).getSequence(Tag.ProcedureCodeSequence).get(0).getString(Tag.CodeValue))
                .isEqualTo("MRKNEE");
    }

    @Test
    void keysInTheRequestersCharacterSetMatchAndAnswersUseItWhenItCanHoldThem() {
        Dataset latin1 = new Dataset();
        latin1.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        latin1.setString(Tag.PatientID, VR.LO, pid);
        latin1.setNull(Tag.StudyInstanceUID, VR.UI);
        latin1.setString(Tag.InstitutionName, VR.LO, "Hôpital Nord");
        latin1.setNull(Tag.PatientName, VR.PN);
        assertThat(latin1.getBytes(Tag.InstitutionName)).as("sent in Latin-1").contains((byte) 0xF4);
        List<Dataset> r = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, latin1));
        assertThat(r).extracting(d -> d.getString(Tag.StudyInstanceUID)).containsExactly(studyA);
        assertThat(r.get(0).getStrings(Tag.SpecificCharacterSet)).containsExactly("ISO_IR 100");
        assertThat(r.get(0).getBytes(Tag.InstitutionName)).as("answered in Latin-1").contains((byte) 0xF4);
        assertThat(r.get(0).getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");

        // No character set asked for (ASCII): an ASCII answer carries none, a non-ASCII one the stored set.
        Dataset ascii = new Dataset();
        ascii.setString(Tag.PatientID, VR.LO, pid);
        ascii.setString(Tag.StationName, VR.SH, "CT01");
        ascii.setNull(Tag.StudyInstanceUID, VR.UI);
        Dataset plain = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, ascii)).get(0);
        assertThat(plain.contains(Tag.SpecificCharacterSet)).isFalse();
        assertThat(plain.getString(Tag.StationName)).isEqualTo("CT01");
        ascii.setNull(Tag.PatientName, VR.PN);
        Dataset named = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, ascii)).get(0);
        assertThat(named.getStrings(Tag.SpecificCharacterSet)).containsExactly("ISO_IR 192");
        assertThat(named.getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");
    }

    @Test
    void uidsAreAnsweredWithoutExtraNulPadding() {
        Dataset r = find(QueryLevel.IMAGE, k -> {
            k.setString(Tag.SeriesInstanceUID, VR.UI, seriesCt);
            k.setNull(Tag.FrameOfReferenceUID, VR.UI);
        }).get(0);
        assertThat(r.getBytes(Tag.FrameOfReferenceUID))
                .isEqualTo((frameOfReference + "\0").getBytes(StandardCharsets.US_ASCII));
    }
}
