package dev.steadfast.bench.peers;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.config.QueryConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.bench.util.Args;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.net.assoc.AssociationConfig;
import dev.steadfast.net.assoc.AssociationListener;
import dev.steadfast.net.dimse.CFindService;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseServer;
import dev.steadfast.net.dimse.ServiceRegistry;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.web.ArchiveServices;
import dev.steadfast.web.DicomWebServer;
import dev.steadfast.web.WebConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A thin archive node for benchmarks, used until {@code steadfast serve} (issue 4) is on main:
 * the real {@link IngestService} (fsync'd file storage, index transaction before the response),
 * {@link QueryEngine} and {@link DicomWebServer}, behind the net module's {@link DimseServer}.
 * It has no access control, retrieve SCPs or metrics; the adapters are a few lines each.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.peers.BenchNode --data DIR --port P [--http-port H]
 *      [--index jdbc:postgresql://...] [--user U]</pre>
 * Prints {@code READY dicom=P http=H} when listening; stops on end of standard input.
 */
public final class BenchNode {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "BenchNode --data DIR --port P [--http-port H] [--index JDBC] [--user U]");
        Path data = Path.of(a.required("data"));
        Files.createDirectories(data);
        String jdbc = a.get("index", "jdbc:sqlite:" + data.resolve("index.db").toAbsolutePath());
        IndexConfig ic = jdbc.startsWith("jdbc:sqlite:") ? IndexConfig.sqlite(Path.of(jdbc.substring("jdbc:sqlite:".length())))
                : IndexConfig.postgres(jdbc, a.get("user", "postgres"), null);
        FileSystemStorage storage = new FileSystemStorage(data.resolve("storage"));
        Files.createDirectories(storage.root());
        try (Index index = Index.open(ic)) {
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            QueryEngine query = new QueryEngine(index, QueryConfig.DEFAULT);
            RetrieveEngine retrieve = new RetrieveEngine(index, storage);
            ServiceRegistry registry = ServiceRegistry.builder()
                    .echo(rq -> Status.SUCCESS)
                    .store(UidRegistry.storageSopClasses(), (rq, in) -> {
                        try {
                            ingest.store(in, rq.transferSyntaxUid(), rq.callingAeTitle());
                            return Status.SUCCESS;
                        } catch (IngestException e) {
                            throw new DimseException(new Status(0xA700), e.getMessage());
                        }
                    })
                    .find(UID.StudyRootQueryRetrieveInformationModelFind, find(query, InformationModel.STUDY_ROOT))
                    .find(UID.PatientRootQueryRetrieveInformationModelFind, find(query, InformationModel.PATIENT_ROOT))
                    .build();
            AssociationConfig config = AssociationConfig.DEFAULTS;
            int httpPort = a.getInt("http-port", 0);
            try (AssociationListener l = DimseServer.start(InetAddress.getLoopbackAddress(), a.getInt("port", 11112), config,
                    DimseServer.policyFor(registry).build(), registry, 64, null);
                 DicomWebServer web = new DicomWebServer(WebConfig.on("127.0.0.1", httpPort),
                         new ArchiveServices(ingest, query, retrieve)).start()) {
                System.out.println("READY dicom=" + l.port() + " http=" + web.port());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // run until the benchmark closes our standard input
                }
            }
        }
    }

    private static CFindService find(QueryEngine engine, InformationModel model) {
        return (rq, identifier, responder) -> {
            QueryRequest request = QueryRequest.of(model, QueryLevel.of(identifier.getString(Tag.QueryRetrieveLevel)), identifier);
            try {
                engine.query(request, match -> {
                    try {
                        responder.pending(match);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }
}
