package dev.steadfast.archive.storage.replica;

import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.Storage.Staged;
import dev.steadfast.archive.storage.StorageException;
import dev.steadfast.archive.storage.StorageKey;
import dev.steadfast.archive.storage.StorageOutOfResourcesException;
import dev.steadfast.archive.storage.TailSha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One write of {@link ReplicatedStorage}: the thread reading the sender hands each chunk to every healthy
 * target's writer (and to the tail digest) through bounded {@link Pipe}s; a target that stops taking data is
 * dropped from this write, and the write policy decides whether enough copies were staged.
 */
final class ReplicatedWrite {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedStorage.class);

    private final ReplicatedStorage owner;
    private final ReplicaOptions options;
    private final ExecutorService writers;

    ReplicatedWrite(ReplicatedStorage owner, ReplicaOptions options, ExecutorService writers) {
        this.owner = owner;
        this.options = options;
        this.writers = writers;
    }

    /**
     * The tail digest (ingest's data set SHA-256) is one more consumer of the chunks handed to the
     * targets' writers, on its own thread: neither digest runs on the thread reading the sender (issue 19).
     *
     * @param tailFrom where the tail digest starts; negative for none
     */
    Storage.Staged stage(StorageKey key, InputStream in, long tailFrom) throws IOException {
        List<Target> writable = new ArrayList<>();
        for (Target t : owner.targets()) {
            if (t.breaker().allowRequest()) {
                writable.add(t);
            } else {
                owner.missed(t, key);
            }
        }
        int required = owner.required();
        if (writable.size() < required) {
            throw new StorageOutOfResourcesException("only " + writable.size() + " of " + owner.targets().size()
                    + " storage targets are healthy and the write policy needs " + required);
        }
        // A lone target (serve's default) fails the write with it, so its writer hashes the tail as it reads: one
        // thread and one hand-off per chunk fewer than a consumer of its own (issue 19, 4 associations).
        TailSha256 writerTail = tailFrom >= 0 && writable.size() == 1 ? new TailSha256(tailFrom) : null;
        List<Pipe> pipes = new ArrayList<>();
        List<Future<Staged>> futures = new ArrayList<>();
        for (Target t : writable) {
            Pipe pipe = new Pipe(options.pipeChunks());
            pipes.add(pipe);
            futures.add(writers.submit(() -> {
                try (InputStream pin = writerTail == null ? pipe.input() : writerTail.hashing(pipe.input())) {
                    return t.storage().stage(key, pin);
                } finally {
                    pipe.consumerDone();
                }
            }));
        }
        Pipe tailPipe = tailFrom < 0 || writerTail != null ? null : new Pipe(options.pipeChunks());
        Future<String> tail = tailPipe == null ? null : writers.submit(() -> {
            TailSha256 sha = new TailSha256(tailFrom);
            tailPipe.drainTo(sha);
            return sha.hex();
        });
        boolean[] dropped = new boolean[pipes.size()];
        try {
            while (true) {
                // Read into a new array each time and hand that over: no copy per chunk (issue 19).
                byte[] buf = new byte[options.chunkSize()];
                int n = in.readNBytes(buf, 0, buf.length); // sender failures propagate as they are
                if (n <= 0) {
                    break;
                }
                byte[] chunk = n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
                if (tailPipe != null && !tailPipe.offer(chunk, options.writeTimeoutMillis())) {
                    throw new StorageException("the data set digest of " + key + " stopped taking data");
                }
                for (int i = 0; i < pipes.size(); i++) {
                    if (!dropped[i] && !pipes.get(i).offer(chunk, options.writeTimeoutMillis())) {
                        dropped[i] = true;
                        pipes.get(i).abort();
                    }
                }
                if (n < buf.length) {
                    break;
                }
            }
            if (tailPipe != null && !tailPipe.finish(options.writeTimeoutMillis())) {
                throw new StorageException("the data set digest of " + key + " stopped taking data");
            }
            for (int i = 0; i < pipes.size(); i++) {
                if (!dropped[i] && !pipes.get(i).finish(options.writeTimeoutMillis())) {
                    dropped[i] = true;
                    pipes.get(i).abort();
                }
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            pipes.forEach(Pipe::abort);
            if (tailPipe != null) {
                tailPipe.abort();
            }
            for (Future<Staged> f : futures) {
                ReplicatedStorage.closeQuietly(await(f).staged);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while writing " + key, e);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        List<Target> stagedOn = new ArrayList<>();
        List<Staged> staged = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            Target t = writable.get(i);
            Outcome o = await(futures.get(i));
            if (o.staged != null && !dropped[i]) {
                stagedOn.add(t);
                staged.add(o.staged);
            } else {
                ReplicatedStorage.closeQuietly(o.staged);
                Throwable why = o.error != null ? o.error : new StorageException(t + " stopped taking data");
                t.breaker().failure(why);
                owner.missed(t, key);
                errors.add(t + ": " + why.getMessage());
                log.warn("storage target {} failed to write {}: {}", t, key, why.toString());
            }
        }
        if (staged.size() < required) {
            staged.forEach(ReplicatedStorage::closeQuietly);
            throw new StorageOutOfResourcesException("only " + staged.size() + " of " + owner.targets().size()
                    + " storage targets took " + key + " and the write policy needs " + required + ": " + errors);
        }
        String tailSha = writerTail == null ? null : writerTail.hex(); // the writer read to the end: it staged
        if (tail != null) {
            Outcome t = awaitTail(tail);
            if (t.error != null) {
                staged.forEach(ReplicatedStorage::closeQuietly);
                throw new StorageException("the data set digest of " + key + " failed: " + t.error, t.error);
            }
            tailSha = t.tailSha;
        }
        return new ReplicatedStaged(owner, key, stagedOn, staged, writers, tailSha);
    }

    private record Outcome(Staged staged, String tailSha, Throwable error) {}

    private static Outcome await(Future<Staged> f) {
        try {
            return new Outcome(f.get(), null, null);
        } catch (java.util.concurrent.ExecutionException e) {
            return new Outcome(null, null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, null, e);
        }
    }

    private static Outcome awaitTail(Future<String> f) {
        try {
            return new Outcome(null, f.get(), null);
        } catch (java.util.concurrent.ExecutionException e) {
            return new Outcome(null, null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, null, e);
        }
    }
}
