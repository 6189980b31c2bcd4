package dev.steadfast.archive.admin;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.InstanceRecord;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.reindex.ReindexReport;
import dev.steadfast.archive.reindex.Reindexer;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deleting a study removes it from the index, every target and the journal, and it stays gone:
 * a copy left on a target that was down during the delete is removed by scrub, never copied back,
 * and never indexed again by reindex. Run on SQLite and PostgreSQL by the subclasses.
 */
abstract class StudyDeletionContract {
    @TempDir
    Path dir;

    private FileSystemStorage a;
    private FileSystemStorage b;
    private ReplicatedStorage storage;
    private Index index;
    private IngestService ingest;
    private StudyCatalog catalog;

    abstract IndexConfig indexConfig(Path dir);

    @BeforeEach
    void open() {
        a = new FileSystemStorage(dir.resolve("a"));
        b = new FileSystemStorage(dir.resolve("b"));
        storage = new ReplicatedStorage(List.of(Target.of("fs:a", a), Target.of("fs:b", b)), WritePolicy.ALL,
                ReplicaOptions.DEFAULT);
        index = Index.open(indexConfig(dir));
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
        catalog = new StudyCatalog(index, new QueryEngine(index, QueryConfig.DEFAULT));
    }

    @AfterEach
    void close() {
        index.close();
        storage.close();
    }

    private List<StoreResult> study(String patient, String study, int series, int each) throws Exception {
        List<StoreResult> out = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            String se = Synthetic.uid();
            for (int i = 0; i < each; i++) {
                out.add(ingest.store(new ByteArrayInputStream(Synthetic.encode(Synthetic.instance(patient, "Doe^" + patient,
                        study, se, Synthetic.uid()))), UID.ExplicitVRLittleEndian, "MOD"));
            }
        }
        return out;
    }

    private static long files(FileSystemStorage s, String studyUid) throws Exception {
        try (Stream<?> l = s.list(StorageKey.studyPrefix(studyUid))) {
            return l.count();
        }
    }

    private StudyDeletion deletion(IngestJournal journal, boolean immutable) {
        return new StudyDeletion(index, storage, journal, immutable, Clock.systemUTC());
    }

    @Test
    void aDeletedStudyStaysGoneAfterScrubRepairAndReindex() throws Exception {
        String gone = Synthetic.uid();
        String kept = Synthetic.uid();
        List<StoreResult> goneInstances = study("P1", gone, 2, 3);
        study("P2", kept, 1, 2);
        // Target b is "down" during the delete: its copies survive (hard links keep bytes, time and checksum).
        Path stash = Files.createDirectories(dir.resolve("stash"));
        for (StoreResult r : goneInstances) {
            Files.createLink(stash.resolve(r.key().path().replace('/', '_')), b.pathOf(r.key()));
        }

        StudyDeletion.Result result = deletion(null, false).delete(gone, "test", "wrong patient");
        assertThat(result.sopUids()).hasSize(6);
        assertThat(result.seriesUids()).hasSize(2);
        assertThat(result.bytes()).isEqualTo(goneInstances.stream().mapToLong(StoreResult::size).sum());
        assertThat(catalog.study(gone)).isEmpty();
        assertThat(catalog.list(new Dataset(), StudyCatalog.Sort.RECEIVED, false, 0, 0).studies())
                .extracting(StudyCatalog.StudySummary::studyUid).containsExactly(kept);
        assertThat(files(a, gone)).isZero();
        assertThat(files(b, gone)).isZero();
        ArchiveStatistics.Counts counts = new ArchiveStatistics(index).count();
        assertThat(List.of(counts.patients(), counts.studies(), counts.series(), counts.instances())).containsExactly(1L, 1L, 1L, 2L);
        var audit = deletion(null, false).history(gone);
        assertThat(audit).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("wrong patient");
            assertThat(d.deletedBy()).isEqualTo("test");
            assertThat(d.completedAt()).isNotNull();
            assertThat(d.sopUids()).containsExactlyInAnyOrderElementsOf(result.sopUids());
        });

        restore(goneInstances, stash);
        Scrubber scrubber = new Scrubber(storage, new IndexChecksums(index), Pace.UNLIMITED);
        ScrubReport repair = scrubber.repairAll(Progress.NONE);
        assertThat(repair.missingRepaired()).isZero();
        assertThat(repair.deletedRemoved()).isEqualTo(6);
        assertThat(files(a, gone)).isZero();
        assertThat(files(b, gone)).isZero();
        assertThat(files(a, kept)).isEqualTo(2);
        assertThat(files(b, kept)).isEqualTo(2);

        restore(goneInstances, stash);
        ScrubReport scrub = scrubber.scrub(Progress.NONE);
        assertThat(scrub.deletedRemoved()).isEqualTo(6);
        assertThat(scrub.missingRepaired() + scrub.damagedRepaired()).isZero();
        assertThat(files(a, gone) + files(b, gone)).isZero();

        restore(goneInstances, stash);
        ReindexReport reindex = new Reindexer(storage, index, 2, 16).run(Progress.NONE);
        assertThat(reindex.deleted()).isEqualTo(6);
        assertThat(reindex.indexed()).isZero();
        assertThat(catalog.study(gone)).isEmpty();

        // Sent again after the delete: a new study like any other, which scrub leaves alone.
        List<StoreResult> again = study("P1", gone, 1, 1);
        ScrubReport after = scrubber.scrub(Progress.NONE);
        assertThat(after.deletedRemoved()).isEqualTo(6); // the old leftovers on b, once more
        assertThat(a.exists(again.get(0).key())).isTrue();
        assertThat(b.exists(again.get(0).key())).isTrue();
        assertThat(catalog.study(gone)).get().satisfies(d -> assertThat(d.study().instances()).isEqualTo(1));
    }

    private void restore(List<StoreResult> instances, Path stash) throws Exception {
        for (StoreResult r : instances) {
            Path p = b.pathOf(r.key());
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createLink(p, stash.resolve(r.key().path().replace('/', '_')));
        }
    }

    @Test
    void withTheIndexUnreachableRepairStillKnowsTheDeletedStudies() throws Exception {
        String gone = Synthetic.uid();
        String kept = Synthetic.uid();
        StorageKey goneKey = study("P1", gone, 1, 1).get(0).key();
        StorageKey keptKey = study("P2", kept, 1, 1).get(0).key();
        deletion(null, false).delete(gone, "test", "wrong patient");
        IndexChecksums checks = new IndexChecksums(index);
        assertThat(checks.deleted(goneKey, 0)).isTrue();
        assertThat(checks.deleted(keptKey, 0)).isFalse();
        index.close(); // the database goes away: the tombstones last read still answer
        assertThat(checks.deleted(goneKey, 0)).isTrue();
        assertThat(checks.deleted(goneKey, -1)).isTrue();
        assertThat(checks.deleted(keptKey, 0)).isFalse();
        assertThat(checks.deleted(goneKey, System.currentTimeMillis() + 60_000)).as("a re-send after the delete").isFalse();
    }

    @Test
    void instancesWaitingInTheJournalAreDroppedWithTheStudy() throws Exception {
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        study("P1", study, 1, 1);
        String sop = Synthetic.uid();
        StorageKey key = StorageKey.of(study, series, sop);
        Dataset ds = Synthetic.instance("P1", "Doe^P1", study, series, sop);
        var stored = storage.put(key, new ByteArrayInputStream(Synthetic.encode(ds)));
        try (IngestJournal journal = new IngestJournal(dir.resolve("journal"), index, storage)) {
            journal.defer(new InstanceRecord(sop, UID.CTImageStorage, 1, UID.ExplicitVRLittleEndian, key.path(),
                    stored.length(), stored.sha256(), stored.sha256(), System.currentTimeMillis(), "MOD",
                    dev.steadfast.archive.ingest.Metadata.encode(ds)));
            assertThat(journal.pending()).isEqualTo(1);

            StudyDeletion.Result r = deletion(journal, false).delete(study, "test", "duplicate");
            assertThat(r.sopUids()).hasSize(2).contains(sop);
            assertThat(journal.pending()).isZero();
            assertThat(journal.replay()).isZero();
            assertThat(storage.exists(key)).isFalse();
            assertThat(catalog.study(study)).isEmpty();
        }
    }

    @Test
    void immutableStorageRefusesAndChangesNothing() throws Exception {
        String study = Synthetic.uid();
        study("P1", study, 1, 2);
        assertThatThrownBy(() -> deletion(null, true).delete(study, "test", "oops"))
                .isInstanceOf(DeletionRefusedException.class).hasMessageContaining("immutable");
        assertThat(files(a, study)).isEqualTo(2);
        assertThat(catalog.study(study)).get().satisfies(d -> assertThat(d.study().instances()).isEqualTo(2));
        assertThat(deletion(null, false).history(study)).isEmpty();
    }

    @Test
    void anUnknownStudyIsNotFound() {
        assertThatThrownBy(() -> deletion(null, false).delete("1.2.3.4", "test", "why"))
                .isInstanceOf(StudyNotFoundException.class);
    }

    @Test
    void listingFiltersSortsAndPages() throws Exception {
        String[] uids = new String[4];
        for (int i = 0; i < 4; i++) {
            uids[i] = Synthetic.uid();
            Dataset ds = Synthetic.instance(i < 2 ? "PA" : "PB", "X^Y", uids[i], Synthetic.uid(), Synthetic.uid());
            ds.setString(Tag.StudyDate, VR.DA, "2024010" + (4 - i)); // received order is the reverse of date order
            ds.setString(Tag.Modality, VR.CS, i % 2 == 0 ? "CT" : "MR");
            ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + i);
            long arrival = 1_700_000_000_000L + i * 1000L; // distinct arrival times, in order
            new IngestService(storage, index, IngestConfig.DEFAULT, Clock.fixed(java.time.Instant.ofEpochMilli(arrival),
                    java.time.ZoneOffset.UTC)).store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MOD");
        }
        var byDate = catalog.list(new Dataset(), StudyCatalog.Sort.STUDY_DATE, false, 0, 0);
        assertThat(byDate.total()).isEqualTo(4);
        assertThat(byDate.studies()).extracting(StudyCatalog.StudySummary::studyUid).containsExactly(uids[3], uids[2], uids[1], uids[0]);
        var newest = catalog.list(new Dataset(), StudyCatalog.Sort.RECEIVED, true, 1, 2);
        assertThat(newest.total()).isEqualTo(4);
        assertThat(newest.studies()).extracting(StudyCatalog.StudySummary::studyUid).containsExactly(uids[2], uids[1]);

        // Unfiltered, the database sorts and pages; filtered (here universally), the catalog does: the same answer.
        Dataset universal = new Dataset();
        universal.setString(Tag.PatientID, VR.LO, "*");
        for (StudyCatalog.Sort sort : StudyCatalog.Sort.values()) {
            for (boolean descending : new boolean[] {true, false}) {
                for (int[] page : new int[][] {{0, 0}, {1, 2}, {3, 5}, {9, 1}}) {
                    assertThat(catalog.list(universal, sort, descending, page[0], page[1]))
                            .isEqualTo(catalog.list(new Dataset(), sort, descending, page[0], page[1]));
                }
            }
        }

        Dataset f = new Dataset();
        f.setString(Tag.PatientID, VR.LO, "PA");
        f.setString(Tag.ModalitiesInStudy, VR.CS, "MR");
        assertThat(catalog.list(f, StudyCatalog.Sort.RECEIVED, false, 0, 0).studies())
                .extracting(StudyCatalog.StudySummary::studyUid).containsExactly(uids[1]);
        Dataset range = new Dataset();
        range.setString(Tag.StudyDate, VR.DA, "20240102-20240103");
        assertThat(catalog.list(range, StudyCatalog.Sort.STUDY_DATE, false, 0, 0).studies())
                .extracting(StudyCatalog.StudySummary::studyUid).containsExactly(uids[2], uids[1]);
        Dataset list = new Dataset();
        list.setString(Tag.StudyInstanceUID, VR.UI, uids[0] + "\\" + uids[3]);
        assertThat(catalog.list(list, StudyCatalog.Sort.RECEIVED, false, 0, 0).studies())
                .extracting(StudyCatalog.StudySummary::studyUid).containsExactly(uids[0], uids[3]);
        Dataset acc = new Dataset();
        acc.setString(Tag.AccessionNumber, VR.SH, "ACC3");
        var one = catalog.list(acc, StudyCatalog.Sort.RECEIVED, false, 0, 0).studies();
        assertThat(one).singleElement().satisfies(s -> {
            assertThat(s.modalities()).containsExactly("MR");
            assertThat(s.series()).isEqualTo(1);
            assertThat(s.instances()).isEqualTo(1);
            assertThat(s.bytes()).isPositive();
            assertThat(s.date()).isEqualTo("20240101");
        });
    }
}
