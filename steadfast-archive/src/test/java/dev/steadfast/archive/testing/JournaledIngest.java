package dev.steadfast.archive.testing;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.journal.IngestJournal;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.testing.Peers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/**
 * One node's ingest as {@code serve} wires it (ArchiveNode): the index, a file-system storage in {@code <dir>/storage},
 * the ingest journal in {@code <dir>/journal} and the IngestService that journals while the index is down. The journal
 * is not started (no replay timer): tests replay it when they choose. Optionally on a PostgreSQL of its own, in
 * {@code <dir>/pg}, that a test stops and starts again (same port, same data). {@link #close} closes all of it.
 */
public final class JournaledIngest implements AutoCloseable {
    private final Path dir;
    private final int port; // of its own PostgreSQL; 0 when it has none
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private Index index;
    private FileSystemStorage storage;
    private IngestJournal journal;
    private IngestService ingest;

    private JournaledIngest(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** On a PostgreSQL of its own, started now on a free port. */
    public static JournaledIngest onOwnPostgres(Path dir) throws IOException {
        return onOwnPostgres(dir, Function.identity());
    }

    /** As {@link #onOwnPostgres(Path)}, the index configuration adjusted by {@code config} (e.g. a smaller pool). */
    public static JournaledIngest onOwnPostgres(Path dir, Function<IndexConfig, IndexConfig> config) throws IOException {
        JournaledIngest n = new JournaledIngest(dir, Peers.freePort());
        try {
            n.startPostgres();
            return n.open(config.apply(IndexConfig.postgres(n.jdbcUrl(), "postgres", null)));
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** On the given index database (SQLite, or PostgreSQL behind a test's relay). */
    public static JournaledIngest on(Path dir, IndexConfig config) throws IOException {
        JournaledIngest n = new JournaledIngest(dir, 0);
        try {
            return n.open(config);
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private JournaledIngest open(IndexConfig config) throws IOException {
        index = Index.open(config);
        storage = new FileSystemStorage(storageDir());
        journal = new IngestJournal(dir.resolve("journal"), index, storage);
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), journal);
        return this;
    }

    public Index index() { return index; }

    public FileSystemStorage storage() { return storage; }

    public Path storageDir() { return dir.resolve("storage"); }

    public IngestJournal journal() { return journal; }

    /** Ingest as serve has it: journals while the index is down. */
    public IngestService ingest() { return ingest; }

    /** Ingest with no journal, as {@code import} wires it: a store fails while the index is down. */
    public IngestService withoutJournal() {
        return new IngestService(storage, index, IngestConfig.DEFAULT, Clock.systemUTC(), null);
    }

    /** The JDBC URL (user postgres, no password) of its own PostgreSQL. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    /** Its own PostgreSQL goes away, as a stopped or crashed server. */
    public void stopPostgres() throws IOException {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }

    /** Its own PostgreSQL (again): the same port and data folder. */
    public void startPostgres() throws IOException {
        if (port == 0) {
            throw new IllegalStateException("no PostgreSQL of its own");
        }
        pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setPort(port)
                .setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false).start();
    }

    @Override
    public void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
        if (index != null) {
            index.close();
        }
        stopPostgres();
    }
}
