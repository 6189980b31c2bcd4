package dev.steadfast.archive.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Directory fsyncs shared by concurrent writers: a caller returns once an fsync of the
 * directory that <em>started after its call</em> has completed, so its rename is durable; but
 * callers that arrive while an fsync runs are all covered by the next single one, instead of
 * one fsync each. Why: concurrent associations write the instances of one series into one
 * directory, and each commit used to fsync it again (issue 8).
 */
final class DirectorySync {
    private static final class State {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        int users;          // guarded by the map's compute, for removal when idle
        long requested;     // tickets handed out
        long completed;     // every ticket up to this one is durable
        boolean running;
    }

    private final ConcurrentHashMap<Path, State> states = new ConcurrentHashMap<>();
    private final Fsync fsync;

    /** The system call, replaceable in tests. */
    interface Fsync {
        void force(Path dir) throws IOException;
    }

    DirectorySync() {
        this(DirectorySync::force);
    }

    DirectorySync(Fsync fsync) {
        this.fsync = fsync;
    }

    /** Returns once every change made to {@code dir} before this call is durable. */
    void sync(Path dir) throws IOException {
        State s = states.compute(dir, (d, old) -> {
            State st = old == null ? new State() : old;
            st.users++;
            return st;
        });
        try {
            s.lock.lock();
            try {
                long ticket = ++s.requested;
                while (s.completed < ticket) {
                    if (s.running) {
                        s.changed.await();
                        continue;
                    }
                    s.running = true;
                    long covers = s.requested; // everyone who asked before this fsync starts
                    s.lock.unlock();
                    IOException failure = null;
                    try {
                        fsync.force(dir);
                    } catch (IOException e) {
                        failure = e;
                    } finally {
                        s.lock.lock();
                        s.running = false;
                        s.changed.signalAll();
                    }
                    if (failure != null) {
                        throw failure; // the others waiting try again themselves
                    }
                    s.completed = Math.max(s.completed, covers);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while syncing " + dir);
            } finally {
                s.lock.unlock();
            }
        } finally {
            states.computeIfPresent(dir, (d, st) -> --st.users == 0 ? null : st);
        }
    }

    /** Syncs asked for {@code dir} so far while anyone waits on it (0 when idle), for tests. */
    long requested(Path dir) {
        State s = states.get(dir);
        if (s == null) {
            return 0;
        }
        s.lock.lock();
        try {
            return s.requested;
        } finally {
            s.lock.unlock();
        }
    }

    static void force(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
