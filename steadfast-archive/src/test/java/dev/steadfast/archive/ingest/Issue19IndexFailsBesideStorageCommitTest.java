package dev.steadfast.archive.ingest;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.testing.JournaledIngest;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import org.junit.jupiter.api.AutoClose;
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
 * stored bytes (their SHA-256, size) and the data set sent. No temporary file is left. On PostgreSQL, a row
 * refused only at COMMIT, after the storage commit: undone without a journal, journaled with one.
 */
class Issue19IndexFailsBesideStorageCommitTest {
    @TempDir
    Path dir;
    @AutoClose
    private JournaledIngest node;
    private Index index;

    /**
     * PostgreSQL, a row refused only at COMMIT (a deferred constraint trigger): the index fails after the storage
     * commit made the object visible and the statements ran. Without a journal the store fails (index failure)
     * and the object it made visible is removed again: no row, no file. With one, it is acknowledged, and the
     * journal replays to a row naming the stored object.
     */
    @Test
    void aRowRefusedAtCommitAfterTheObjectIsVisibleIsUndoneOrJournaled() throws Exception {
        node = JournaledIngest.onOwnPostgres(dir);
        String url = node.jdbcUrl();
        index = node.index();
        FileSystemStorage storage = node.storage();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.sop_uid LIKE '%.919' THEN RAISE EXCEPTION 'refused at commit by the test'; END IF;"
                    + " RETURN NEW; END $$");
            s.execute("CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON instance DEFERRABLE INITIALLY DEFERRED"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_marked()");
        }
        String study = Synthetic.uid();
        String series = Synthetic.uid();

        IngestService failing = node.withoutJournal();
        String undone = Synthetic.uid() + ".919";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.store(new ByteArrayInputStream(Synthetic.encode(
                Synthetic.instance("PID19", "Doe^Jane", study, series, undone))), UID.ExplicitVRLittleEndian, "MODALITY1"))
                .isInstanceOfSatisfying(IngestException.class,
                        e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.INDEX_FAILURE));
        assertThat(find(undone)).isEmpty();
        assertThat(storage.exists(dev.steadfast.archive.storage.StorageKey.of(study, series, undone)))
                .as("the object the failed store had made visible").isFalse();

        IngestJournal journal = node.journal();
        IngestService journaling = node.ingest();
        String journaled = Synthetic.uid() + ".919";
        byte[] sent = Synthetic.encode(Synthetic.instance("PID19", "Doe^Jane", study, series, journaled));
        assertThat(journaling.store(new ByteArrayInputStream(sent), UID.ExplicitVRLittleEndian, "MODALITY1").outcome())
                .isEqualTo(StoreResult.Outcome.STORED);
        assertThat(find(journaled)).isEmpty();
        assertThat(journal.pending()).isEqualTo(1);
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER refuse_at_commit ON instance");
        }
        journal.replay();
        StoredInstance row = find(journaled).orElseThrow();
        byte[] stored;
        try (InputStream in = storage.open(new dev.steadfast.archive.storage.StorageKey(row.record().storageKey()))) {
            stored = in.readAllBytes();
        }
        assertThat(row.record().sha256()).isEqualTo(sha256(stored));
        assertThat(row.record().size()).isEqualTo(stored.length);
        assertThat(row.record().datasetSha256()).isEqualTo(sha256(sent));
        try (Stream<Path> files = Files.walk(node.storageDir())) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("."))).as("temporary files").isEmpty();
        }
    }

    @Test
    void aRowRefusedAfterTheObjectIsVisibleIsJournaledAsStoredAndReplayedExactly() throws Exception {
        Path db = dir.resolve("index.db");
        node = JournaledIngest.on(dir, IndexConfig.sqlite(db)); // the journal not started: replayed below
        index = node.index();
        FileSystemStorage storage = node.storage();
        IngestJournal journal = node.journal();
        IngestService ingest = node.ingest();

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
        try (Stream<Path> files = Files.walk(node.storageDir())) {
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
