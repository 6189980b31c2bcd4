package dev.steadfast.archive.reindex;

import dev.steadfast.archive.config.IndexConfig;
import dev.steadfast.archive.config.IngestConfig;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.scrub.Progress;
import dev.steadfast.archive.storage.FileSystemStorage;
import dev.steadfast.archive.storage.StorageEntry;
import dev.steadfast.archive.testing.Synthetic;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reindex throughput (docs/PERFORMANCE.md), against baselines measured in the same run: reading the
 * same objects' bytes from the same storage with the same threads, and (issue 19) the full reindex
 * that reads and hashes every byte beside the header-only one. Off by default; run with
 * {@code -Dsteadfast.bench.reindex=N} (instances), {@code -Dsteadfast.bench.ct=true} for CT-sized
 * instances (512 x 512 x 16 bit pixel data, 512 KiB) instead of small ones (8 KiB).
 */
@EnabledIfSystemProperty(named = "steadfast.bench.reindex", matches = "\\d+")
class ReindexThroughput {
    @TempDir
    Path dir;

    @Test
    void reindexSmallInstances() throws Exception {
        int n = Integer.getInteger("steadfast.bench.reindex");
        int threads = Integer.getInteger("steadfast.bench.threads", 2);
        boolean ct = Boolean.getBoolean("steadfast.bench.ct");
        java.util.Random random = new java.util.Random(19);
        FileSystemStorage storage = new FileSystemStorage(dir.resolve("storage"));
        try (Index index = Index.open(IndexConfig.sqlite(dir.resolve("ingest.db")))) {
            IngestService ingest = new IngestService(storage, index, IngestConfig.DEFAULT);
            String study = Synthetic.uid();
            String series = Synthetic.uid();
            for (int i = 0; i < n; i++) {
                if (i % 100 == 0) {
                    study = Synthetic.uid();
                    series = Synthetic.uid();
                }
                Dataset ds = Synthetic.instance("P" + (i / 1000), "Bench^" + (i / 1000), study, series, Synthetic.uid());
                ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i % 100 + 1));
                if (ct) {
                    ds.setString(Tag.Modality, VR.CS, "CT");
                    ds.setInt(Tag.Rows, VR.US, 512);
                    ds.setInt(Tag.Columns, VR.US, 512);
                    byte[] pixels = new byte[512 * 512 * 2];
                    random.nextBytes(pixels);
                    ds.setBytes(Tag.PixelData, VR.OW, pixels);
                }
                ingest.store(new ByteArrayInputStream(Synthetic.encode(ds)), UID.ExplicitVRLittleEndian, "BENCH");
            }
        }
        long bytes;
        try (Stream<StorageEntry> s = storage.list("")) {
            bytes = s.mapToLong(StorageEntry::size).sum();
        }
        int rounds = Integer.getInteger("steadfast.bench.rounds", 3);
        for (int round = 0; round < rounds; round++) { // the first round warms up the JIT and the page cache
            double baseline = readAll(storage, threads);
            double full = reindex(storage, threads, false, "full-" + round, n);
            double headers = reindex(storage, threads, true, "headers-" + round, n);
            System.out.printf("REINDEX round %d: %d instances (%.1f KB avg), %d threads: plain read %.0f/s,"
                            + " full reindex %.0f/s (ratio %.2f), header-only reindex %.0f/s (ratio %.2f, %.1fx full)%n",
                    round, n, bytes / 1024.0 / n, threads, baseline, full, full / baseline, headers, headers / baseline,
                    headers / full);
        }
    }

    /**
     * Instances per second of one reindex into a fresh index: the run's own time (listing, reading,
     * indexing; what docs/PERFORMANCE.md and issue 19 quote), without opening the index (migrations).
     */
    private double reindex(FileSystemStorage storage, int threads, boolean headersOnly, String name, int n) throws Exception {
        ReindexReport r;
        try (Index fresh = Index.open(IndexConfig.sqlite(dir.resolve("reindex-" + name + ".db")))) {
            r = new Reindexer(storage, fresh, threads, 500, headersOnly).run(Progress.NONE);
        }
        double seconds = Math.max(1, r.millis()) / 1e3;
        if (r.indexed() != n || r.unverified() != (headersOnly ? n : 0)) {
            throw new AssertionError("reindex " + name + " indexed " + r.indexed() + " (" + r.unverified() + " unverified) of " + n);
        }
        return r.indexed() / seconds;
    }

    /** Objects per second when only listing and reading every byte. */
    private static double readAll(FileSystemStorage storage, int threads) throws Exception {
        long t0 = System.nanoTime();
        AtomicLong count = new AtomicLong();
        List<StorageEntry> entries;
        try (Stream<StorageEntry> s = storage.list("")) {
            entries = s.toList();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (StorageEntry e : entries) {
                pool.submit(() -> {
                    try (InputStream in = storage.open(e.key())) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                        count.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        return count.get() / ((System.nanoTime() - t0) / 1e9);
    }
}
