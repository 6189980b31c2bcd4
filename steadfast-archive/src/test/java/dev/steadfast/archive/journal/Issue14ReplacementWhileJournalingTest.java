package dev.steadfast.archive.journal;

import dev.steadfast.archive.config.DuplicatePolicy;
import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.ReplacementRecovery;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 (duplicate policy), the journal's side: with policy replace, a replacement made while the index is down is journaled, not
 * indexed. A crash between the new bytes' rename and the journal append left the journaled previous version's
 * entry pointing at bytes since replaced: the replay dropped it as superseded, and the acknowledged version was
 * gone from storage and index. Now the start's recovery puts the previous bytes back (the journal does not name
 * the new ones) before the journal replays; when the journal does name them (the crash came after the append),
 * the new version stands, even while the index still cannot be asked.
 */
class Issue14ReplacementWhileJournalingTest {
    private static final IngestConfig REPLACE = new IngestConfig(DuplicatePolicy.REPLACE);

    @TempDir
    Path tmp;
    private Index index;
    private FileSystemStorage storage;

    @BeforeEach
    void open() {
        index = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")));
        storage = new FileSystemStorage(tmp.resolve("storage"));
    }

    @AfterEach
    void close() {
        index.close();
    }

    private record Two(StorageKey key, String sop, byte[] first, byte[] second) {}

    private static Two versions() throws Exception {
        String patient = Synthetic.uid();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        String sop = Synthetic.uid();
        return new Two(StorageKey.of(study, series, sop), sop,
                Synthetic.encode(Synthetic.instance(patient, "First^Version", study, series, sop)),
                Synthetic.encode(Synthetic.instance(patient, "Second^Version", study, series, sop)));
    }

    /** The object ingest writes for {@code dataset} (File Meta Information and all), from a scratch archive. */
    private byte[] storedObject(byte[] dataset, StorageKey key) throws Exception {
        Path scratch = java.nio.file.Files.createDirectories(tmp.resolve("scratch-" + System.nanoTime()));
        FileSystemStorage s = new FileSystemStorage(scratch.resolve("storage"));
        try (Index i = Index.open(IndexConfig.sqlite(scratch.resolve("index.db")))) {
            new IngestService(s, i, REPLACE).store(new ByteArrayInputStream(dataset), UID.ExplicitVRLittleEndian, "MOD");
        }
        try (InputStream in = s.open(key)) {
            return in.readAllBytes();
        }
    }

    /** The state a crash right after the replacement's rename leaves: previous kept aside, new bytes in place. */
    private void interruptedReplacement(StorageKey key, byte[] newObject) throws Exception {
        storage.keepPrevious(key);
        storage.put(key, new ByteArrayInputStream(newObject));
    }

    @Test
    void crashBeforeTheJournalRecordedTheReplacementRestoresTheJournaledVersion() throws Exception {
        Two v = versions();
        Path dir = tmp.resolve("journal");
        StoreResult first;
        try (IngestJournal journal = new IngestJournal(dir, index, storage)) {
            journal.indexFailed(new IndexException("index down (test)", null, true));
            first = new IngestService(storage, index, REPLACE, Clock.systemUTC(), journal)
                    .store(new ByteArrayInputStream(v.first()), UID.ExplicitVRLittleEndian, "MOD");
            assertThat(journal.pending()).as("the first version, journaled").isEqualTo(1);
        }
        interruptedReplacement(v.key(), storedObject(v.second(), v.key()));

        try (IngestJournal restarted = new IngestJournal(dir, index, storage)) {
            storage.sweepTemporaryFiles(); // as a node's start does: it also finds the kept copy
            var result = new ReplacementRecovery(index, restarted::pendingSha256).run(List.of(storage));
            assertThat(result.settled()).isEqualTo(1);
            assertThat(restarted.replay()).as("the journaled first version replayed, not dropped").isEqualTo(1);
        }
        assertThat(index.read(tx -> tx.instances().find(v.sop())).orElseThrow().record().sha256())
                .as("indexed: the acknowledged first version").isEqualTo(first.sha256());
        assertThat(storage.recordedSha256(v.key())).as("stored: the first version").contains(first.sha256());
        assertThat(storage.keysWithPreviousCopies()).as("kept copies left").isEmpty();
    }

    @Test
    void crashAfterTheJournalRecordedTheReplacementKeepsTheNewVersionEvenWithTheIndexDown() throws Exception {
        Two v = versions();
        Path dir = tmp.resolve("journal");
        byte[] second = storedObject(v.second(), v.key());
        String secondSha;
        try (IngestJournal journal = new IngestJournal(dir, index, storage)) {
            journal.indexFailed(new IndexException("index down (test)", null, true));
            IngestService ingest = new IngestService(storage, index, REPLACE, Clock.systemUTC(), journal);
            ingest.store(new ByteArrayInputStream(v.first()), UID.ExplicitVRLittleEndian, "MOD");
            // The replacement completes (journaled); then its kept copy is made to come back, as a crash after the
            // journal append and before the copy was dropped would leave it.
            StoreResult replaced = ingest.store(new ByteArrayInputStream(v.second()), UID.ExplicitVRLittleEndian, "MOD");
            assertThat(replaced.outcome()).isEqualTo(StoreResult.Outcome.REPLACED);
            secondSha = replaced.sha256();
            assertThat(storage.keysWithPreviousCopies()).as("dropped once journaled").isEmpty();
        }
        // Rebuild the crash state: the first version kept aside beside the second.
        byte[] firstObject = storedObject(v.first(), v.key());
        storage.put(v.key(), new ByteArrayInputStream(firstObject));
        interruptedReplacement(v.key(), second);

        try (IngestJournal restarted = new IngestJournal(dir, index, storage)) {
            storage.sweepTemporaryFiles();
            Index down = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")));
            down.close(); // the index cannot be asked at this start: only the journal can tell
            var result = new ReplacementRecovery(down, restarted::pendingSha256).run(List.of(storage));
            assertThat(result.settled()).as("settled from the journal alone").isEqualTo(1);
            assertThat(result.waiting()).isZero();
        }
        assertThat(storage.recordedSha256(v.key())).as("stored: the journaled second version").contains(secondSha);
        assertThat(storage.keysWithPreviousCopies()).as("kept copies left").isEmpty();
    }

    @Test
    void withTheIndexDownAndNothingJournaledTheReplacementWaitsForTheIndex() throws Exception {
        Two v = versions();
        StoreResult first = new IngestService(storage, index, REPLACE)
                .store(new ByteArrayInputStream(v.first()), UID.ExplicitVRLittleEndian, "MOD");
        interruptedReplacement(v.key(), storedObject(v.second(), v.key()));
        storage.sweepTemporaryFiles();
        try (IngestJournal restarted = new IngestJournal(tmp.resolve("journal"), index, storage)) {
            Index down = Index.open(IndexConfig.sqlite(tmp.resolve("index.db")));
            down.close();
            var waiting = new ReplacementRecovery(down, restarted::pendingSha256).run(List.of(storage));
            assertThat(waiting.waiting()).as("cannot tell without the index").isEqualTo(1);
            assertThat(storage.keysWithPreviousCopies()).as("the previous copy still kept").hasSize(1);

            var settled = new ReplacementRecovery(index, restarted::pendingSha256).run(List.of(storage));
            assertThat(settled.settled()).isEqualTo(1);
        }
        assertThat(storage.recordedSha256(v.key())).as("the indexed first version, put back").contains(first.sha256());
        assertThat(storage.keysWithPreviousCopies()).isEmpty();
    }
}
