package dev.steadfast.archive.reindex;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 7: the index file deleted; reindex from storage alone restores identical query answers. */
class ReindexTest {
    @TempDir
    Path dir;

    @Test
    void reindexOfAWipedIndexGivesTheSameQueryAnswersAndResumes() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
        List<List<String>> before;
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            for (int p = 0; p < 3; p++) {
                String patient = "P" + p;
                for (int st = 0; st < 2; st++) {
                    String study = Synthetic.uid();
                    for (int se = 0; se < 2; se++) {
                        String series = Synthetic.uid();
                        for (int i = 0; i < 4; i++) {
                            Dataset ds = Synthetic.instance(patient, "Patient^" + p, study, series, Synthetic.uid());
                            ds.setString(Tag.Modality, VR.CS, se == 0 ? "CT" : "SR");
                            ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(se + 1));
                            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
                            ds.setString(Tag.StudyDate, VR.DA, "2024031" + st);
                            ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian,
                                    "AE" + p);
                        }
                    }
                }
            }
            before = answers(new QueryEngine(index, QueryConfig.DEFAULT));
        }
        Files.delete(dir.resolve("index.db")); // the index is lost; storage is all there is

        try (Index fresh = Index.open(IndexConfig.sqlite(dir.resolve("rebuilt.db")))) {
            long[] steps = {0, 0};
            ReindexReport r = new Reindexer(storage, fresh, 2, 16).run(new Progress() {
                @Override public void start(long objects) { steps[0] = objects; }

                @Override public synchronized void step() { steps[1]++; }
            });
            assertThat(r.objects()).isEqualTo(48);
            assertThat(r.indexed()).isEqualTo(48);
            assertThat(r.damaged()).isEmpty();
            assertThat(r.unreadable()).isEmpty();
            assertThat(steps).containsExactly(48, 48);
            assertThat(answers(new QueryEngine(fresh, QueryConfig.DEFAULT))).isEqualTo(before);

            ReindexReport again = new Reindexer(storage, fresh, 2, 16).run(Progress.NONE);
            assertThat(again.indexed()).isZero();
            assertThat(again.alreadyIndexed()).isEqualTo(48);
        }
    }

    @Test
    void aDamagedObjectIsReportedAndNotIndexed() throws Exception {
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String sop = Synthetic.uid();
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P", "A^B", study, series, sop))),
                    UID.ExplicitVRLittleEndian, "X");
            ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance("P", "A^B", study, series,
                    Synthetic.uid()))), UID.ExplicitVRLittleEndian, "X");
        }
        try (RandomAccessFile f = new RandomAccessFile(storage.pathOf(StorageKey.of(study, series, sop)).toFile(), "rw")) {
            f.seek(f.length() - 10);
            f.write(0x55);
        }
        Files.writeString(dir.resolve("storage").resolve("stray.txt"), "not DICOM");
        try (Index fresh = Index.open(IndexConfig.sqlite(dir.resolve("rebuilt.db")))) {
            ReindexReport r = new Reindexer(storage, fresh, 2, 16).run(Progress.NONE);
            assertThat(r.indexed()).isEqualTo(1);
            assertThat(r.damaged()).containsExactly(StorageKey.of(study, series, sop).path());
            // Written by something else (no checksum recorded with it on a filesystem that keeps them).
            assertThat(r.notOurs()).containsExactly("stray.txt");
            assertThat(r.unreadable()).isEmpty();
        }
    }

    /** Every level's answers, as sorted encodings (row order follows insertion, which differs). */
    static List<List<String>> answers(QueryEngine q) throws Exception {
        List<List<String>> out = new ArrayList<>();
        Dataset patient = new Dataset();
        for (int tag : new int[]{Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex}) {
            patient.setNull(tag, tag == Tag.PatientName ? VR.PN : tag == Tag.PatientBirthDate ? VR.DA : VR.LO);
        }
        patient.setNull(Tag.NumberOfPatientRelatedStudies, VR.IS);
        patient.setNull(Tag.NumberOfPatientRelatedInstances, VR.IS);
        out.add(encoded(q, InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, patient));
        Dataset study = new Dataset();
        study.setNull(Tag.StudyInstanceUID, VR.UI);
        study.setNull(Tag.StudyDate, VR.DA);
        study.setNull(Tag.AccessionNumber, VR.SH);
        study.setNull(Tag.PatientID, VR.LO);
        study.setNull(Tag.ModalitiesInStudy, VR.CS);
        study.setNull(Tag.NumberOfStudyRelatedSeries, VR.IS);
        study.setNull(Tag.NumberOfStudyRelatedInstances, VR.IS);
        out.add(encoded(q, InformationModel.STUDY_ROOT, QueryLevel.STUDY, study));
        Dataset ct = new Dataset();
        ct.setString(Tag.StudyDate, VR.DA, "20240310-20240310");
        ct.setString(Tag.ModalitiesInStudy, VR.CS, "SR");
        ct.setNull(Tag.StudyInstanceUID, VR.UI);
        out.add(encoded(q, InformationModel.STUDY_ROOT, QueryLevel.STUDY, ct));
        Dataset series = new Dataset();
        series.setNull(Tag.StudyInstanceUID, VR.UI);
        series.setNull(Tag.SeriesInstanceUID, VR.UI);
        series.setNull(Tag.Modality, VR.CS);
        series.setNull(Tag.SeriesNumber, VR.IS);
        series.setNull(Tag.NumberOfSeriesRelatedInstances, VR.IS);
        out.add(encoded(q, InformationModel.STUDY_ROOT, QueryLevel.SERIES, series));
        Dataset image = new Dataset();
        image.setString(Tag.PatientID, VR.LO, "P1");
        image.setNull(Tag.SOPInstanceUID, VR.UI);
        image.setNull(Tag.SOPClassUID, VR.UI);
        image.setNull(Tag.InstanceNumber, VR.IS);
        image.setNull(Tag.SeriesInstanceUID, VR.UI);
        image.setNull(Tag.StudyInstanceUID, VR.UI);
        out.add(encoded(q, InformationModel.PATIENT_ROOT, QueryLevel.IMAGE, image));
        return out;
    }

    private static List<String> encoded(QueryEngine q, InformationModel m, QueryLevel l, Dataset keys)
            throws Exception {
        List<String> rows = new ArrayList<>();
        for (Dataset d : q.queryAll(QueryRequest.of(m, l, keys))) {
            rows.add(HexFormat.of().formatHex(DicomWriter.encode(d, UID.ExplicitVRLittleEndian)));
        }
        rows.sort(null);
        assertThat(rows).isNotEmpty();
        return rows;
    }
}
