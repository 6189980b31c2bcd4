package dev.steadfast.archive.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 8: commits to one directory share its fsync, and none returns before an fsync that began after it was called. */
class DirectorySyncTest {
    @TempDir
    Path dir;

    /** An fsync as seen by the fake: when it began and ended on one logical clock. */
    private record Interval(long start, long end) {}

    @Test
    void everyCallerIsCoveredByAnFsyncThatStartedAfterItsCall() throws Exception {
        AtomicLong clock = new AtomicLong();
        List<Interval> fsyncs = java.util.Collections.synchronizedList(new ArrayList<>());
        DirectorySync sync = new DirectorySync(d -> {
            long start = clock.incrementAndGet();
            Thread.onSpinWait();
            DirectorySync.force(d); // the real system call too
            fsyncs.add(new Interval(start, clock.incrementAndGet()));
        });
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Interval>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(pool.submit(() -> {
                long called = clock.incrementAndGet();
                sync.sync(dir);
                return new Interval(called, clock.incrementAndGet());
            }));
        }
        List<Interval> returned = new ArrayList<>();
        for (Future<Interval> f : calls) {
            returned.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        for (Interval call : returned) { // every fsync has ended: the list no longer changes
            assertThat(fsyncs.stream().anyMatch(s -> s.start() > call.start() && s.end() < call.end()))
                    .as("an fsync began after the call at %d and ended before its return at %d", call.start(), call.end())
                    .isTrue();
        }
        assertThat(fsyncs.size()).isBetween(1, 200);
    }

    @Test
    void callersArrivingDuringAnFsyncShareTheNextOne() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (count.incrementAndGet() == 1) {
                firstRunning.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        });
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        Future<?> first = pool.submit(() -> {
            sync.sync(dir);
            return null;
        });
        firstRunning.await();
        List<Future<?>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(pool.submit(() -> {
                sync.sync(dir);
                return null;
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sync.requested(dir) < 9) { // all eight have asked while the first fsync runs
            assertThat(System.nanoTime()).as("callers queued").isLessThan(deadline);
            Thread.sleep(2);
        }
        assertThat(others).noneMatch(Future::isDone);
        releaseFirst.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(count.get()).isEqualTo(2); // the first, then one for all eight
    }

    @Test
    void aFailedFsyncFailsItsCallerAndTheNextCallTriesAgain() throws Exception {
        AtomicInteger count = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (count.incrementAndGet() == 1) {
                throw new IOException("disk said no");
            }
        });
        assertThatThrownBy(() -> sync.sync(dir)).hasMessageContaining("disk said no");
        sync.sync(dir);
        assertThat(count.get()).isEqualTo(2);
    }

    @Test
    void sequentialCallsEachGetTheirOwnFsync() throws Exception {
        AtomicInteger count = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> count.incrementAndGet());
        for (int i = 0; i < 5; i++) {
            sync.sync(dir);
        }
        assertThat(count.get()).isEqualTo(5);
    }
}
