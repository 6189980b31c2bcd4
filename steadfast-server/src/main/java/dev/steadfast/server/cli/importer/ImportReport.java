package dev.steadfast.server.cli.importer;

import dev.steadfast.archive.ingest.StoreResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** The counts of one import run, updated by the workers and rendered as the final summary. */
public final class ImportReport {
    /** Failures listed in full; beyond this only counted, so a bad medium cannot exhaust memory. */
    static final int LISTED_FAILURES = 1000;

    final AtomicLong discovered = new AtomicLong();
    final AtomicLong discoveredBytes = new AtomicLong();
    final AtomicLong imported = new AtomicLong();
    final AtomicLong alreadyPresent = new AtomicLong();
    final AtomicLong doneEarlier = new AtomicLong();
    final AtomicLong replaced = new AtomicLong();
    final AtomicLong keptFirst = new AtomicLong();
    final AtomicLong notDicom = new AtomicLong();
    final AtomicLong dicomdirs = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** Bytes of the files ingested (any outcome but failure), for the rate. */
    final AtomicLong bytes = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final long start = System.nanoTime();
    private volatile long end;
    volatile boolean interrupted;

    void outcome(StoreResult.Outcome o, long size) {
        (switch (o) {
            case STORED -> imported;
            case IDENTICAL_DUPLICATE -> alreadyPresent;
            case REPLACED -> replaced;
            case KEPT_FIRST -> keptFirst;
        }).incrementAndGet();
        bytes.addAndGet(size);
    }

    /** @param reason names no patient data (the archive's ingest messages and parser offsets do not) */
    void fail(String where, String reason) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < LISTED_FAILURES) {
                failures.add(where + ": " + reason);
            }
        }
    }

    /** Files handled so far, whatever the outcome. */
    long processed() {
        return imported.get() + alreadyPresent.get() + doneEarlier.get() + replaced.get() + keptFirst.get()
                + notDicom.get() + dicomdirs.get() + failed.get();
    }

    long instances() {
        return imported.get() + alreadyPresent.get() + replaced.get() + keptFirst.get();
    }

    void finish() {
        end = System.nanoTime();
    }

    double elapsedSeconds() {
        return ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
    }

    public long failedCount() {
        return failed.get();
    }

    public boolean wasInterrupted() {
        return interrupted;
    }

    /** The summary: one {@code name: value} line each, then the failures by path. */
    public String render() {
        double s = Math.max(elapsedSeconds(), 1e-3);
        StringBuilder b = new StringBuilder();
        if (interrupted) {
            b.append("import interrupted: run the same command again to continue\n");
        }
        line(b, "files", Long.toString(processed()));
        line(b, "imported", imported.get() + " (new instances)");
        line(b, "already present", alreadyPresent.get() + " (identical instance already stored)");
        line(b, "done earlier", doneEarlier.get() + " (imported by an earlier run, not read again)");
        line(b, "replaced", replaced.get() + " (stored instance had different bytes; policy replace)");
        line(b, "kept first", keptFirst.get() + " (stored instance had different bytes; policy keep-first)");
        line(b, "skipped", (notDicom.get() + dicomdirs.get()) + " (not DICOM: " + notDicom.get() + ", DICOMDIR: "
                + dicomdirs.get() + ")");
        line(b, "failed", Long.toString(failed.get()));
        line(b, "bytes", String.format(Locale.ROOT, "%.1f MB", bytes.get() / 1e6));
        line(b, "elapsed", String.format(Locale.ROOT, "%.1f s", s));
        line(b, "rate", String.format(Locale.ROOT, "%.1f instances/s, %.1f MB/s", instances() / s, bytes.get() / 1e6 / s));
        synchronized (failures) {
            if (!failures.isEmpty()) {
                b.append("failed files:\n");
                for (String f : failures) {
                    b.append("  ").append(f).append('\n');
                }
                if (failed.get() > failures.size()) {
                    b.append("  ... and ").append(failed.get() - failures.size()).append(" more\n");
                }
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "%-16s %s\n", name + ":", value));
    }
}
