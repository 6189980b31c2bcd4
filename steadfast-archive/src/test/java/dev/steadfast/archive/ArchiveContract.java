package dev.steadfast.archive;

import dev.steadfast.archive.config.DuplicatePolicy;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.ingest.StoreResult.Outcome;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StorageOutOfResourcesException;
import dev.steadfast.archive.testing.Corpus;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a PACS administrator expects of the archive, run against each index database by a
 * subclass. Synthetic instances use fresh UIDs and patient IDs, so tests do not see each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ArchiveContract {
    protected Path dir;
    protected Index index;
    protected FileSystemStorage storage;
    protected IngestService ingest;
    protected QueryEngine query;

    /** The index database for this run (a fresh one). */
    protected abstract IndexConfig indexConfig(Path dir);

    @BeforeAll
    void open() throws IOException {
        dir = Files.createTempDirectory("steadfast-archive-test");
        index = Index.open(indexConfig(dir));
        storage = new FileSystemStorage(dir.resolve("storage"));
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
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

    // ---- ingest ----

    @Test
    void storedFileIsPart10WithTheDatasetBytesUnchangedAndItsChecksumRecorded() throws Exception {
        Dataset ds = Synthetic.instance(Synthetic.uid(), "Doe^Jane", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        byte[] sent = Synthetic.encode(ds);
        StoreResult r = ingest.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "MODALITY1");
        assertThat(r.outcome()).isEqualTo(Outcome.STORED);
        byte[] file = Files.readAllBytes(storage.pathOf(r.key()));
        assertThat(new String(file, 128, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DICM");
        assertThat(datasetPart(file)).isEqualTo(sent);
        assertThat(r.sha256()).isEqualTo(sha256(file));
        StoredInstance row = find(r.sopInstanceUid()).orElseThrow();
        assertThat(row.record().sha256()).isEqualTo(sha256(file));
        assertThat(row.record().datasetSha256()).isEqualTo(sha256(sent));
        assertThat(row.record().callingAe()).isEqualTo("MODALITY1");
        assertThat(row.record().size()).isEqualTo(file.length);
    }

    @Test
    void missingSopInstanceUidIsRejectedAndLeavesNoTrace() throws Exception {
        String study = Synthetic.uid();
        Dataset ds = Synthetic.instance(Synthetic.uid(), "Doe^Jane", study, Synthetic.uid(), null);
        long before = instanceCount();
        assertThatThrownBy(() -> ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)),
                UID.ExplicitVRLittleEndian, "X"))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IngestException.Kind.MISSING_ATTRIBUTE);
                    assertThat(e.offendingTag()).isEqualTo(Tag.SOPInstanceUID);
                });
        assertThat(instanceCount()).isEqualTo(before);
        assertThat(storage.root().resolve(study)).doesNotExist();
    }

    @Test
    void unparseableDatasetIsRejectedWithAMessage() {
        byte[] garbage = {0x08, 0x00, 0x16, 0x00, 'U', 'I', (byte) 0xFF, 0x7F, '1', '.', '2'};
        assertThatThrownBy(() -> ingest.store(new ByteArrayInputStream(garbage), UID.ExplicitVRLittleEndian, "X"))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IngestException.Kind.CANNOT_UNDERSTAND);
                    assertThat(e.getMessage()).contains("cannot parse");
                });
    }

    @Test
    void storageFailingMidStreamLeavesNoFileAndNoIndexRow() throws Exception {
        String study = Synthetic.uid();
        String sop = Synthetic.uid();
        byte[] sent = Synthetic.encode(Synthetic.instance(Synthetic.uid(), "Crash^Test", study, Synthetic.uid(), sop));
        Storage crashing = new CrashingStorage(storage, 4000);
        IngestService failing = new IngestService(crashing, index, IngestConfig.DEFAULT);
        assertThatThrownBy(() -> failing.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "X"))
                .isInstanceOfSatisfying(IngestException.class,
                        e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.OUT_OF_RESOURCES));
        assertThat(find(sop)).isEmpty();
        assertThat(filesUnder(storage.root().resolve(study))).isEmpty();
        // and the same instance goes in cleanly afterwards
        assertThat(ingest.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "X").outcome())
                .isEqualTo(Outcome.STORED);
    }

    @Test
    void unwritableStorageIsOutOfResources() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file-" + Synthetic.uid()), "x");
        IngestService unwritable = new IngestService(new FileSystemStorage(notADirectory.resolve("storage")), index,
                IngestConfig.DEFAULT);
        String sop = Synthetic.uid();
        byte[] sent = Synthetic.encode(Synthetic.instance(Synthetic.uid(), "Full^Disk", Synthetic.uid(), Synthetic.uid(), sop));
        assertThatThrownBy(() -> unwritable.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "X"))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(IngestException.Kind.OUT_OF_RESOURCES);
                    assertThat(e.getCause()).isInstanceOf(StorageOutOfResourcesException.class);
                });
        assertThat(find(sop)).isEmpty();
    }

    @Test
    void identicalResendSucceedsAndDuplicatesNothing() throws Exception {
        byte[] sent = Synthetic.encode(Synthetic.instance(Synthetic.uid(), "Again^Same", Synthetic.uid(), Synthetic.uid(),
                Synthetic.uid()));
        StoreResult first = ingest.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "A");
        long count = instanceCount();
        StoreResult second = ingest.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "B");
        assertThat(second.outcome()).isEqualTo(Outcome.IDENTICAL_DUPLICATE);
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(instanceCount()).isEqualTo(count);
        assertThat(replacements(first.sopInstanceUid())).isZero();
        assertThat(filesUnder(storage.pathOf(first.key()).getParent())).hasSize(1);
    }

    @Test
    void differentResendReplacesByDefaultAndIsRecorded() throws Exception {
        Resend r = resend();
        StoreResult second = ingest.store(new ByteArrayInputStream(r.second), UID.ExplicitVRLittleEndian, "B");
        assertThat(second.outcome()).isEqualTo(Outcome.REPLACED);
        assertThat(datasetPart(Files.readAllBytes(storage.pathOf(second.key())))).isEqualTo(r.second);
        assertThat(replacements(r.sop)).isEqualTo(1);
        assertThat(find(r.sop).orElseThrow().record().sha256())
                .isEqualTo(second.sha256());
    }

    @Test
    void differentResendWithKeepFirstKeepsTheOriginal() throws Exception {
        Resend r = resend();
        IngestService keepFirst = new IngestService(storage, index, new IngestConfig(DuplicatePolicy.KEEP_FIRST));
        StoreResult second = keepFirst.store(new ByteArrayInputStream(r.second), UID.ExplicitVRLittleEndian, "B");
        assertThat(second.outcome()).isEqualTo(Outcome.KEPT_FIRST);
        assertThat(second.outcome().isWarning()).isTrue();
        assertThat(datasetPart(Files.readAllBytes(storage.pathOf(second.key())))).isEqualTo(r.first);
        assertThat(replacements(r.sop)).isZero();
    }

    @Test
    void differentResendWithRejectIsRefusedAndKeepsTheOriginal() throws Exception {
        Resend r = resend();
        IngestService reject = new IngestService(storage, index, new IngestConfig(DuplicatePolicy.REJECT));
        assertThatThrownBy(() -> reject.store(new ByteArrayInputStream(r.second), UID.ExplicitVRLittleEndian, "B"))
                .isInstanceOfSatisfying(IngestException.class,
                        e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.DUPLICATE_REJECTED));
        StoredInstance row = find(r.sop).orElseThrow();
        assertThat(datasetPart(Files.readAllBytes(storage.pathOf(new StorageKey(row.record().storageKey())))))
                .isEqualTo(r.first);
        assertThat(filesUnder(storage.pathOf(new StorageKey(row.record().storageKey())).getParent())).hasSize(1);
    }

    @Test
    void resendMovedToAnotherSeriesMovesTheFileAndDropsTheEmptySeries() throws Exception {
        String pid = Synthetic.uid();
        String study = Synthetic.uid();
        String sop = Synthetic.uid();
        String seriesA = Synthetic.uid();
        String seriesB = Synthetic.uid();
        StoreResult a = ingest.store(new ByteArrayInputStream(Synthetic.encode(
                Synthetic.instance(pid, "Move^Me", study, seriesA, sop))), UID.ExplicitVRLittleEndian, "A");
        StoreResult b = ingest.store(new ByteArrayInputStream(Synthetic.encode(
                Synthetic.instance(pid, "Move^Me", study, seriesB, sop))), UID.ExplicitVRLittleEndian, "A");
        assertThat(b.outcome()).isEqualTo(Outcome.REPLACED);
        assertThat(storage.exists(a.key())).isFalse();
        assertThat(storage.exists(b.key())).isTrue();
        Dataset keys = new Dataset();
        keys.setString(Tag.StudyInstanceUID, VR.UI, study);
        keys.setNull(Tag.SeriesInstanceUID, VR.UI);
        List<Dataset> series = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.SERIES, keys));
        assertThat(series).extracting(d -> d.getString(Tag.SeriesInstanceUID)).containsExactly(seriesB);
    }

    @Test
    void part10VariantStoresTheDatasetOfAFileUnchanged() throws Exception {
        Dataset ds = Synthetic.instance(Synthetic.uid(), "File^Upload", Synthetic.uid(), Synthetic.uid(), Synthetic.uid());
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        dev.steadfast.dicom.io.DicomWriter.writeFile(file, ds, UID.ImplicitVRLittleEndian);
        StoreResult r = ingest.storePart10(new ByteArrayInputStream(file.toByteArray()), "STOW");
        assertThat(datasetPart(Files.readAllBytes(storage.pathOf(r.key())))).isEqualTo(datasetPart(file.toByteArray()));
        assertThat(find(r.sopInstanceUid()).orElseThrow().record().transferSyntax())
                .isEqualTo(UID.ImplicitVRLittleEndian);
    }

    // ---- the corpus, as a modality fleet would send it ----

    @Test
    void wholeCorpusIsStoredOneVersionPerSopInstanceFindableAndByteIdentical() throws Exception {
        CorpusRun run = CorpusRun.storeAll(Corpus.wellFormed(), ingest);
        assertThat(run.finalBySop()).hasSizeGreaterThan(80);
        for (CorpusRun.Sent s : run.finalBySop().values()) {
            Dataset keys = new Dataset();
            keys.setString(Tag.SOPInstanceUID, VR.UI, s.sop());
            keys.setNull(Tag.SOPClassUID, VR.UI);
            List<Dataset> found = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, keys));
            assertThat(found).as(s.file()).hasSize(1);
            StoredInstance row = find(s.sop()).orElseThrow();
            byte[] stored = Files.readAllBytes(storage.pathOf(new StorageKey(row.record().storageKey())));
            assertThat(datasetPart(stored)).as("dataset bytes of " + s.file()).isEqualTo(s.datasetBytes());
            assertThat(sha256(stored)).as(s.file()).isEqualTo(row.record().sha256());
        }
        for (CorpusRun.StudyFacts study : run.studies().values()) {
            Dataset keys = new Dataset();
            keys.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
            keys.setNull(Tag.NumberOfStudyRelatedInstances, VR.IS);
            List<Dataset> found = query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys));
            assertThat(found).as(study.file()).hasSize(1);
            assertThat(found.get(0).getString(Tag.NumberOfStudyRelatedInstances)).as(study.file())
                    .isEqualTo(Long.toString(run.instancesIn(study.studyUid())));
            if (study.patientId() != null) {
                assertThat(studiesMatching(Tag.PatientID, VR.LO, study.patientId())).as(study.file())
                        .contains(study.studyUid());
            }
            String name = study.patientName();
            if (name != null && name.length() >= 2 && !Matchable.hasWildcard(name.substring(0, 2))) {
                String pattern = name.substring(0, 2).toLowerCase(java.util.Locale.ROOT) + "*";
                assertThat(studiesMatching(Tag.PatientName, VR.PN, pattern)).as(study.file() + " by " + pattern)
                        .contains(study.studyUid());
            }
            String date = study.studyDate();
            if (date != null && date.matches("\\d{8}")) {
                assertThat(studiesMatching(Tag.StudyDate, VR.DA, date + "-" + date)).as(study.file()).contains(study.studyUid());
                assertThat(studiesMatching(Tag.StudyDate, VR.DA, "-" + date)).as(study.file()).contains(study.studyUid());
                assertThat(studiesMatching(Tag.StudyDate, VR.DA, date + "-")).as(study.file()).contains(study.studyUid());
                String next = java.time.LocalDate.parse(date, java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                        .plusDays(1).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
                assertThat(studiesMatching(Tag.StudyDate, VR.DA, next + "-")).as(study.file())
                        .doesNotContain(study.studyUid());
            }
        }
    }

    private List<String> studiesMatching(int tag, VR vr, String value) {
        Dataset keys = new Dataset();
        keys.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        keys.setString(tag, vr, value);
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        return query.queryAll(QueryRequest.of(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys)).stream()
                .map(d -> d.getString(Tag.StudyInstanceUID)).toList();
    }

    // ---- helpers ----

    private record Resend(String sop, byte[] first, byte[] second) {}

    private Resend resend() throws Exception {
        String pid = Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String sop = Synthetic.uid();
        Dataset ds = Synthetic.instance(pid, "Twice^Sent", study, series, sop);
        byte[] first = Synthetic.encode(ds);
        ds.setString(Tag.StudyDescription, VR.LO, "CORRECTED");
        byte[] second = Synthetic.encode(ds);
        assertThat(ingest.store(new ByteArrayInputStream(first), UID.ExplicitVRLittleEndian, "A").outcome())
                .isEqualTo(Outcome.STORED);
        return new Resend(sop, first, second);
    }

    protected java.util.Optional<StoredInstance> find(String sop) {
        return index.<java.util.Optional<StoredInstance>>read(tx -> tx.instances().find(sop));
    }

    protected long replacements(String sop) {
        return index.<Long>read(tx -> tx.instances().replacementCount(sop));
    }

    protected long instanceCount() {
        return index.<Long>read(tx -> tx.instances().count());
    }

    static List<Path> filesUnder(Path p) throws IOException {
        if (!Files.exists(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** The bytes after the File Meta Information of a Part 10 file (all of it when it has none). */
    static byte[] datasetPart(byte[] file) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(new ByteArrayInputStream(file));
        long offset = dev.steadfast.dicom.io.DicomReader.readFileMeta(in).datasetOffset();
        return java.util.Arrays.copyOfRange(file, (int) offset, file.length);
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static final class Matchable {
        static boolean hasWildcard(String s) {
            return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('=') >= 0 || s.indexOf('\\') >= 0;
        }
    }

    /** Wraps a storage so that staging fails after {@code failAfter} bytes, like a disk dying mid-write. */
    static final class CrashingStorage implements Storage {
        private final Storage delegate;
        private final long failAfter;

        CrashingStorage(Storage delegate, long failAfter) {
            this.delegate = delegate;
            this.failAfter = failAfter;
        }

        @Override
        public Staged stage(StorageKey key, InputStream in) throws IOException {
            return delegate.stage(key, new InputStream() {
                long n;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (n >= failAfter) {
                        throw new StorageOutOfResourcesException("injected: device failed mid-write");
                    }
                    int r = in.read(b, off, (int) Math.min(len, failAfter - n));
                    if (r > 0) {
                        n += r;
                    }
                    return r;
                }
            });
        }

        @Override public InputStream open(StorageKey key) throws IOException { return delegate.open(key); }

        @Override public InputStream openRange(StorageKey key, long offset, long length) throws IOException {
            return delegate.openRange(key, offset, length);
        }

        @Override public boolean exists(StorageKey key) throws IOException { return delegate.exists(key); }

        @Override public boolean delete(StorageKey key) throws IOException { return delegate.delete(key); }
    }

}
