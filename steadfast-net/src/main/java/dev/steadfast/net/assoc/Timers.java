package dev.steadfast.net.assoc;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduler of the networking module: a single daemon platform thread that runs timeouts
 * reads cannot express (a stalled write). Its tasks only close sockets, so it never blocks.
 */
final class Timers {
    private static final ScheduledThreadPoolExecutor EXECUTOR;

    static {
        EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "steadfast-net-timer");
            t.setDaemon(true);
            return t;
        });
        EXECUTOR.setRemoveOnCancelPolicy(true);
    }

    private Timers() {
    }

    static ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return EXECUTOR.schedule(task, delay, unit);
    }
}
