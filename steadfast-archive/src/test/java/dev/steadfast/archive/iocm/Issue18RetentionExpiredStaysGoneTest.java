package dev.steadfast.archive.iocm;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.reindex.Reindexer;
import dev.steadfast.archive.scrub.IndexChecksums;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.scrub.ScrubReport;
import dev.steadfast.archive.scrub.Scrubber;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.replica.ReplicaOptions;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.archive.storage.replica.Target;
import dev.steadfast.archive.storage.replica.WritePolicy;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, IOCM: an instance rejected because its retention expired (113039) loses its files,
 * and stays gone: a copy a storage target kept because it was down when the files were deleted is
 * removed by scrub and repair, never copied back to the other target, and reindex does not make
 * it visible again. Wired as serve wires it (ingest runs the file deletion after a note).
 */
class Issue18RetentionExpiredStaysGoneTest {
    @TempDir
    Path dir;

    @Test
    void aRetentionExpiredInstanceIsDeletedOnEveryTargetAndStaysGone() throws Exception {
        FileSystemStorage a = new FileSystemStorage(dir.resolve("a"));
        FileSystemStorage b = new FileSystemStorage(dir.resolve("b"));
        try (ReplicatedStorage storage = new ReplicatedStorage(List.of(Target.of("fs:a", a), Target.of("fs:b", b)),
                WritePolicy.ALL, ReplicaOptions.DEFAULT);
             Index index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")))) {
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            Rejections rejections = new Rejections(index, storage, Clock.systemUTC());
            ingest.afterRejectionNote(rejections::deleteExpiredFiles);
            String study = Synthetic.uid();
            String series = Synthetic.uid();
            Dataset image = Synthetic.instance("P1", "Doe^P1", study, series, Synthetic.uid());
            StoreResult stored = store(ingest, image);
            StoreResult kept = store(ingest, Synthetic.instance("P1", "Doe^P1", study, series, Synthetic.uid()));
            // Target b is "down" when the files are deleted: its copy survives (a hard link keeps bytes, time and checksum).
            Path stash = dir.resolve("stash.dcm");
            Files.createLink(stash, b.pathOf(stored.key()));

            store(ingest, RejectionNotes.retentionExpired(study, image));
            assertThat(a.exists(stored.key())).isFalse();
            assertThat(b.exists(stored.key())).isFalse();
            assertThat(rejections.of(stored.sopInstanceUid())).get()
                    .satisfies(r -> assertThat(r.filesDeletedAt()).isNotNull());

            Files.createLink(b.pathOf(stored.key()), stash); // b comes back with its copy
            ScrubReport repair = new Scrubber(storage, new IndexChecksums(index), Pace.UNLIMITED).repairAll(Progress.NONE);
            assertThat(repair.missingRepaired()).isZero();
            assertThat(a.exists(stored.key())).isFalse();
            assertThat(b.exists(stored.key())).isFalse();
            assertThat(a.exists(kept.key())).isTrue();

            Files.createLink(b.pathOf(stored.key()), stash);
            new Reindexer(storage, index, 1, 16).run(Progress.NONE);
            List<String> indexed = index.read(tx -> tx.instances().ofStudy(study)).stream().map(s -> s.record().sopUid()).toList();
            assertThat(indexed).contains(kept.sopInstanceUid()).doesNotContain(stored.sopInstanceUid());
        }
    }

    private static StoreResult store(IngestService ingest, Dataset ds) throws Exception {
        return ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "MOD");
    }
}
