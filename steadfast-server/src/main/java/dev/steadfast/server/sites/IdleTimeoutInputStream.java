package dev.steadfast.server.sites;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that may not go silent for longer than {@code idle}: a watchdog closes it, so a
 * read blocked on a link that died mid-transfer ends in an {@link IOException} instead of waiting
 * for ever (the HTTP client's own timeout covers only the wait for the headers).
 */
final class IdleTimeoutInputStream extends FilterInputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steadfast-peer-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long idleNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean expired;

    IdleTimeoutInputStream(InputStream in, Duration idle) {
        super(in);
        this.idleNanos = idle.toNanos();
        long period = Math.max(100, idle.toMillis() / 4);
        this.check = WATCHDOG.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (System.nanoTime() - lastProgress > idleNanos) {
            expired = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            throw expired ? new IOException("the transfer stalled for longer than " + TimeUnit.NANOSECONDS.toSeconds(idleNanos)
                    + " s (sites.peer.timeout-seconds)", e) : e;
        }
        lastProgress = System.nanoTime();
        return guarded(n);
    }

    private int guarded(int n) throws IOException {
        if (expired) {
            throw new IOException("the transfer stalled for longer than " + TimeUnit.NANOSECONDS.toSeconds(idleNanos)
                    + " s (sites.peer.timeout-seconds)");
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
