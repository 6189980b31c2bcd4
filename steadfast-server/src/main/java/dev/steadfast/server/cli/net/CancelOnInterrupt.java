package dev.steadfast.server.cli.net;

import dev.steadfast.net.dimse.DimseClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) during a C-MOVE or C-GET: a shutdown hook sends C-CANCEL and waits a while
 * for the command to print the peer's final answer (FE00 with the counts), instead of leaving the
 * peer to find a dropped connection.
 */
final class CancelOnInterrupt implements AutoCloseable {
    /** How long the peer may take to finish the sub-operation under way and answer. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    CancelOnInterrupt(DimseClient client, PrintWriter err) {
        hook = new Thread(() -> {
            try {
                if (!client.cancel()) {
                    return;
                }
                err.println();
                err.println("interrupted: C-CANCEL sent, waiting up to " + WAIT.toSeconds() + " s for the peer's final answer");
                err.flush();
                finished.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                // the association is already gone: nothing to cancel
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steadfast-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The operation is over (its final answer printed): the hook, if running, may let the JVM exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running now; the count-down above releases it
        }
    }
}
