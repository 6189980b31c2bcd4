package dev.steadfast.web.imaging;

import dev.steadfast.web.http.HttpError;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The imaging pool runs work on its own threads and refuses with 503 once threads and queue are full. */
class ComputePoolTest {

    @Test
    void fullPoolAndQueueAnswer503AndQueuedWorkStillRuns() throws Exception {
        try (ComputePool pool = new ComputePool(1, 1)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> firstThread = new AtomicReference<>();
            Thread first = Thread.ofVirtual().start(() -> {
                try {
                    pool.call(() -> {
                        firstThread.set(Thread.currentThread().getName());
                        started.countDown();
                        release.await();
                        return 1;
                    });
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            started.await();
            AtomicReference<Integer> second = new AtomicReference<>();
            Thread queued = Thread.ofVirtual().start(() -> {
                try {
                    second.set(pool.call(() -> 2));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            // The second call has been queued once its thread waits for the result.
            while (queued.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> pool.call(() -> 3)).isInstanceOf(HttpError.class)
                    .satisfies(e -> assertThat(((HttpError) e).status()).isEqualTo(503));
            release.countDown();
            first.join();
            queued.join();
            assertThat(second.get()).isEqualTo(2);
            assertThat(firstThread.get()).startsWith("steadfast-imaging-");
        }
    }

    @Test
    void failuresKeepTheirType() throws Exception {
        try (ComputePool pool = new ComputePool(1, 1)) {
            assertThatThrownBy(() -> pool.call(() -> { throw HttpError.notAcceptable("no"); }))
                    .isInstanceOf(HttpError.class).hasMessage("no");
            assertThatThrownBy(() -> pool.call(() -> { throw new java.io.IOException("disk"); }))
                    .isInstanceOf(java.io.IOException.class).hasMessage("disk");
        }
    }
}
