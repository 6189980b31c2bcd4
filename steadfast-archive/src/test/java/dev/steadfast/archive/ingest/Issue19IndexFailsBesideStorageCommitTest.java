package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: the index transaction failing while (or after) the storage commit made the object visible, with the
 * ingest journal. The database refuses one instance's row (a trigger, as a real refusal would), among several
 * stored at once: the others are indexed; the refused one is acknowledged and journaled, and its journal entry
 * describes the object in storage exactly, so that once the database takes it the replayed row names the
 * stored bytes (their SHA-256, size) and the data set sent. No temporary file is left.
 */
class Issue19IndexFailsBesideStorageCommitTest {
    @TempDir
    Path dir;
    private Index index;
    private IngestJournal journal;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
        if (index != null) {
            index.close();
        }
    }

    @Test
    void aRowRefusedAfterTheObjectIsVisibleIsJournaledAsStoredAndReplayedExactly() throws Exception {
        Path db = dir.resolve("index.db");
        index = Index.open(IndexConfig.sqlite(db));
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("fs"));
        journal = new IngestJournal(dir.resolve("journal"), index, storage); // not started: replayed below
        IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), journal);

        List<byte[]> sent = new ArrayList<>();
        List<String> sops = new ArrayList<>();
        String study = Synthetic.uid();
        String series = Synthetic.uid();
        for (int i = 0; i < 6; i++) {
            String sop = Synthetic.uid();
            Dataset ds = Synthetic.instance("PID19", "Doe^Jane", study, series, sop);
            sops.add(sop);
            sent.add(Synthetic.encode(ds));
        }
        String refused = sops.get(2);
        sql(db, "CREATE TRIGGER refuse_one BEFORE INSERT ON instance WHEN NEW.sop_uid = '" + refused
                + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");

        List<Future<StoreResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(sent.size())) {
            for (byte[] bytes : sent) {
                results.add(pool.submit(() -> ingest.store(new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian,
                        "MODALITY1")));
            }
        }
        for (Future<StoreResult> f : results) {
            assertThat(f.get().outcome()).as("every store acknowledged").isEqualTo(StoreResult.Outcome.STORED);
        }
        assertThat(find(refused)).as("the refused row").isEmpty();
        assertThat(journal.pending()).as("journaled instances").isGreaterThanOrEqualTo(1);

        sql(db, "DROP TRIGGER refuse_one");
        journal.replay();
        assertThat(journal.pending()).isZero();
        for (int i = 0; i < sops.size(); i++) {
            StoredInstance row = find(sops.get(i)).orElseThrow();
            byte[] stored;
            try (InputStream in = storage.open(new dev.steadfast.archive.storage.StorageKey(row.record().storageKey()))) {
                stored = in.readAllBytes();
            }
            assertThat(row.record().sha256()).as("object digest of " + i).isEqualTo(sha256(stored));
            assertThat(row.record().size()).as("size of " + i).isEqualTo(stored.length);
            assertThat(row.record().datasetSha256()).as("data set digest of " + i).isEqualTo(sha256(sent.get(i)));
        }
        try (Stream<Path> files = Files.walk(dir.resolve("fs"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("."))).as("temporary files").isEmpty();
        }
    }

    private Optional<StoredInstance> find(String sop) {
        return index.read(tx -> tx.instances().find(sop));
    }

    private static void sql(Path db, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
