package dev.steadfast.archive;

import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.testing.Corpus;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Stores corpus files in manifest order and works out, independently of the archive, what it must then hold. */
record CorpusRun(Map<String, Sent> finalBySop, Map<String, StudyFacts> studies) {

    record Sent(String file, String sop, String study, byte[] datasetBytes) {}

    record StudyFacts(String file, String studyUid, String patientId, String issuer, String patientName, String studyDate) {}

    long instancesIn(String studyUid) {
        return finalBySop.values().stream().filter(s -> s.study.equals(studyUid)).count();
    }

    static CorpusRun storeAll(java.util.List<Corpus.Entry> entries, IngestService ingest) throws Exception {
        Map<String, Sent> bySop = new LinkedHashMap<>();
        Map<String, StudyFacts> studies = new LinkedHashMap<>();
        Map<String, String> nameByPatientId = new java.util.HashMap<>(); // demographics follow the latest instance
        for (Corpus.Entry e : entries) {
            byte[] file = Files.readAllBytes(e.path());
            DicomFile parsed;
            try {
                parsed = DicomReader.read(new ByteArrayInputStream(file), ReadOptions.headerOnly());
            } catch (java.io.IOException ex) {
                assertRejected(ingest, e, file, IngestException.Kind.CANNOT_UNDERSTAND);
                continue;
            }
            Dataset h = parsed.dataset();
            String study = text(h, Tag.StudyInstanceUID);
            String series = text(h, Tag.SeriesInstanceUID);
            String sop = text(h, Tag.SOPInstanceUID);
            if (study == null || series == null || sop == null) {
                assertRejected(ingest, e, file, IngestException.Kind.MISSING_ATTRIBUTE);
                continue;
            }
            StoreResult r = ingest.storePart10(new ByteArrayInputStream(file), "CORPUS");
            byte[] dataset = ArchiveContract.datasetPart(file);
            Sent previous = bySop.get(sop);
            if (previous != null && Arrays.equals(previous.datasetBytes, dataset) && previous.study.equals(study)) {
                assertThat(r.outcome()).as(e.name()).isEqualTo(StoreResult.Outcome.IDENTICAL_DUPLICATE);
                continue;
            }
            assertThat(r.outcome()).as(e.name())
                    .isEqualTo(previous == null ? StoreResult.Outcome.STORED : StoreResult.Outcome.REPLACED);
            bySop.put(sop, new Sent(e.name(), sop, study, dataset));
            if (text(h, Tag.PatientID) != null) {
                nameByPatientId.put(text(h, Tag.PatientID) + "\\" + text(h, Tag.IssuerOfPatientID), text(h, Tag.PatientName));
            }
            studies.put(study, new StudyFacts(e.name(), study, text(h, Tag.PatientID), text(h, Tag.IssuerOfPatientID),
                    text(h, Tag.PatientName),
                    text(h, Tag.StudyDate)));
        }
        studies.keySet().retainAll(bySop.values().stream().map(Sent::study).toList());
        studies.replaceAll((uid, f) -> f.patientId() == null ? f : new StudyFacts(f.file(), uid, f.patientId(),
                f.issuer(), nameByPatientId.get(f.patientId() + "\\" + f.issuer()), f.studyDate()));
        return new CorpusRun(bySop, studies);
    }

    private static void assertRejected(IngestService ingest, Corpus.Entry e, byte[] file, IngestException.Kind kind) {
        try {
            ingest.storePart10(new ByteArrayInputStream(file), "CORPUS");
            throw new AssertionError(e.name() + " was accepted, expected " + kind);
        } catch (IngestException ex) {
            assertThat(ex.kind()).as(e.name() + ": " + ex.getMessage()).isEqualTo(kind);
        }
    }

    private static String text(Dataset ds, int tag) {
        try {
            String s = ds.getString(tag);
            return s == null || s.strip().isEmpty() ? null : s.strip().replace("\0", "");
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
