package dev.steadfast.archive.scrub;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps background work to a rate so it never crowds out ingest and retrieval: at most
 * {@code objectsPerSecond} objects and {@code bytesPerSecond} bytes, 0 meaning no limit.
 */
public final class Pace {
    public static final Pace UNLIMITED = new Pace(0, 0);

    private final double objectsPerSecond;
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long objects;
    private long bytes;

    public Pace(double objectsPerSecond, long bytesPerSecond) {
        if (objectsPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("pace must be >= 0");
        }
        this.objectsPerSecond = objectsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** A fresh pace with the same limits (the count starts again). */
    public Pace restart() { return new Pace(objectsPerSecond, bytesPerSecond); }

    /** Accounts for one object of {@code size} bytes and sleeps as long as the limits require. */
    public synchronized void acquire(long size) {
        objects++;
        bytes += size;
        double due = 0;
        if (objectsPerSecond > 0) {
            due = Math.max(due, objects / objectsPerSecond);
        }
        if (bytesPerSecond > 0) {
            due = Math.max(due, (double) bytes / bytesPerSecond);
        }
        long wait = (long) (due * 1e9) - (System.nanoTime() - start);
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
