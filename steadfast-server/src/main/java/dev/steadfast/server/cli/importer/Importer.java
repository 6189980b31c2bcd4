package dev.steadfast.server.cli.importer;

import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.ingest.IngestException;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.ingest.StoreResult;
import dev.steadfast.archive.scrub.Pace;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Feeds files to the archive's {@link IngestService} on a pool of threads, so each instance gets
 * the same contract as one received over the network (durable on the storage targets, checksum,
 * index, duplicate policy). One thread walks the arguments; at most a few files per worker wait
 * in between, and each file streams through ingest, so memory does not grow with the input.
 */
public final class Importer {
    /** Binary values over this stay in the file while checking its structure. */
    private static final long CHECK_BULK_THRESHOLD = 1024;

    private final IngestService ingest;
    private final Index index;
    private final ImportJournal journal;
    private final int threads;
    private final Pace pace;
    private final ImportReport report = new ImportReport();
    private volatile boolean stopping;

    /**
     * @param journal earlier runs' work (null: no journal); the caller closes it
     * @param pace    files per second and bytes per second at most, to leave room for a running serve
     */
    public Importer(IngestService ingest, Index index, ImportJournal journal, int threads, Pace pace) {
        this.ingest = ingest;
        this.index = index;
        this.journal = journal;
        this.threads = threads;
        this.pace = pace;
    }

    public ImportReport report() {
        return report;
    }

    /** Asks the run to stop after the files in progress (Ctrl-C): nothing half-stored is left. */
    public void stop() {
        stopping = true;
        report.interrupted = true;
    }

    public ImportReport run(List<Path> args) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "import");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(threads * 4);
        Sources.Sink sink = new Sources.Sink() {
            @Override
            public void file(Path file, long size) throws InterruptedException {
                report.discovered.incrementAndGet();
                report.discoveredBytes.addAndGet(size);
                inFlight.acquire();
                pool.execute(() -> {
                    try {
                        if (!stopping) {
                            importFile(file);
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }

            @Override
            public void unresolved(String where, String reason) {
                report.discovered.incrementAndGet();
                report.fail(where, reason);
            }

            @Override
            public boolean stopped() {
                return stopping;
            }
        };
        try {
            for (Path arg : args) {
                if (stopping) {
                    break;
                }
                try {
                    Sources.walk(arg, sink);
                } catch (IOException | RuntimeException e) {
                    sink.unresolved(arg.toString(), "cannot read: " + e.getMessage());
                }
            }
        } finally {
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // each file finishes or fails on its own; nothing to time out here
            }
            report.finish();
        }
        return report;
    }

    private void importFile(Path file) {
        try {
            long size = Files.size(file);
            long mtime = Files.getLastModifiedTime(file).toMillis();
            if (journal != null) {
                String sop = journal.doneEarlier(file, size, mtime);
                if (sop != null && stillIndexed(sop)) {
                    report.doneEarlier.incrementAndGet();
                    return;
                }
            }
            if (!Sniff.looksLikeDicom(file)) {
                report.notDicom.incrementAndGet();
                return;
            }
            pace.acquire(size);
            // Ingest reads the header and copies the rest untouched; this pass over the structure
            // (bulk data skipped, not read) is what catches a file truncated in its pixel data.
            DicomFile parsed = DicomReader.readFile(file, ReadOptions.DEFAULT.withBulkDataThreshold(CHECK_BULK_THRESHOLD));
            String metaClass = parsed.meta().mediaStorageSopClassUid();
            if (metaClass != null && UID.MediaStorageDirectoryStorage.equals(metaClass.strip().replace("\0", ""))) {
                report.dicomdirs.incrementAndGet(); // its files are in the folder being walked
                return;
            }
            StoreResult r;
            try (InputStream in = Files.newInputStream(file)) {
                r = ingest.storePart10(in, null);
            }
            report.outcome(r.outcome(), size);
            if (journal != null) {
                journal.record(file, size, mtime, r.sopInstanceUid());
            }
        } catch (IngestException e) {
            report.fail(file.toString(), e.getMessage());
        } catch (dev.steadfast.dicom.DicomParseException e) {
            report.fail(file.toString(), "not a readable DICOM file: " + e.getMessage());
        } catch (IOException e) {
            report.fail(file.toString(), "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            report.fail(file.toString(), "cannot import: " + e.getClass().getSimpleName());
        }
    }

    private boolean stillIndexed(String sopUid) {
        try {
            return index.read(tx -> tx.instances().find(sopUid)).isPresent();
        } catch (IndexException e) {
            return false; // ingest says what is wrong with the index
        }
    }
}
