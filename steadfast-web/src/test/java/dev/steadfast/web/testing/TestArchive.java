package dev.steadfast.web.testing;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.web.DicomWebServer;
import dev.steadfast.web.WebConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh archive (SQLite + files in a temp dir) behind a DICOMweb server on a free loopback port. */
public class TestArchive implements AutoCloseable {
    public final Path dir;
    public final Index index;
    public final FileSystemStorage storage;
    public final IngestService ingest;
    public final QueryEngine query;
    public final RetrieveEngine retrieve;
    public final DicomWebServer server;

    public TestArchive() throws Exception {
        this(WebConfig.on("127.0.0.1", 0));
    }

    public TestArchive(WebConfig config) throws Exception {
        this(Files.createTempDirectory("steadfast-web-test"), config);
    }

    public TestArchive(Path dir, WebConfig config) throws Exception {
        this.dir = dir;
        index = Index.open(IndexConfig.sqlite(dir.resolve("index.db")));
        storage = new FileSystemStorage(dir.resolve("storage"));
        ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
        query = new QueryEngine(index, QueryConfig.DEFAULT);
        retrieve = new RetrieveEngine(index, storage);
        server = new DicomWebServer(config, new ArchiveServices(ingest, query, retrieve)).start();
    }

    public URI base() {
        return server.baseUri();
    }

    public long instanceCount() {
        return index.read(tx -> tx.instances().count());
    }

    @Override
    public void close() throws Exception {
        server.stop();
        index.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
