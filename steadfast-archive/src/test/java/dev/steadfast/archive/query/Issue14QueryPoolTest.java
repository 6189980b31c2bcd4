package dev.steadfast.archive.query;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14: the query pool is bounded both ways. Its threads run the work (never the caller's
 * thread, which may be a virtual thread whose carrier must stay free); once its queue is full, a
 * further query is refused at once as BUSY instead of piling up; a page that outlives its deadline
 * is abandoned as TIMED_OUT.
 */
class Issue14QueryPoolTest {
    @Test
    void workRunsOnThePoolAndAFullQueueRefusesAtOnce() throws Exception {
        QueryPool pool = new QueryPool(1);
        assertThat(pool.run(() -> Thread.currentThread().getName(), Long.MAX_VALUE)).startsWith("steadfast-query-")
                .isNotEqualTo(Thread.currentThread().getName());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        callers.add(Thread.ofVirtual().start(() -> pool.run(() -> {
            running.countDown();
            release.await();
            return null;
        }, Long.MAX_VALUE)));
        assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 256; i++) {
            callers.add(Thread.ofVirtual().start(() -> pool.run(() -> null, Long.MAX_VALUE)));
        }
        long guard = System.currentTimeMillis() + 60_000; // a hang guard only
        while (pool.waiting() < 256 && System.currentTimeMillis() < guard) {
            Thread.sleep(5);
        }
        assertThat(pool.waiting()).isEqualTo(256);
        assertThatThrownBy(() -> pool.run(() -> null, Long.MAX_VALUE)).isInstanceOf(QueryLimitException.class)
                .satisfies(e -> assertThat(((QueryLimitException) e).kind()).isEqualTo(QueryLimitException.Kind.BUSY));
        release.countDown();
        for (Thread t : callers) {
            t.join(60_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(pool.waiting()).isZero();
    }

    @Test
    void aPagePastItsDeadlineIsAbandoned() {
        QueryPool pool = new QueryPool(1);
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> pool.run(() -> {
            never.await(); // interrupted when abandoned
            return null;
        }, System.nanoTime())).isInstanceOf(QueryLimitException.class)
                .satisfies(e -> assertThat(((QueryLimitException) e).kind()).isEqualTo(QueryLimitException.Kind.TIMED_OUT));
        // The thread was given back: the next page runs.
        assertThat(pool.run(() -> "next", Long.MAX_VALUE)).isEqualTo("next");
    }
}
