package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.web.http.HttpError;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;

/**
 * A stored object read whole into memory through the retrieve engine's check, for rendering (issue 19).
 * Its array is the size the index recorded, so parsing it copies each value once instead of growing
 * buffers over a stream; the read runs to the stream's end, where the check (SHA-256 on a first read,
 * CRC32C after) throws on a damaged copy, so nothing is rendered from bytes that did not pass it.
 * Larger objects than {@link #MAX}, and copies longer on disk than recorded, are left to the streaming
 * path ({@link #bytes()} null). Either way the object's share of the server's {@link Budget} is held
 * until closed, so many renders of large objects at once get 503 instead of exhausting the heap.
 */
final class WholeObject implements AutoCloseable {
    /** Above this the object is parsed from its stream as before: one copy in memory, not two. */
    static final long MAX = 16L << 20; // bounded: the array and the parsed values are both on the heap meanwhile
    /** Reads of at most this size: the JDK reads a heap array from a file through a temporary direct buffer of the read's size. */
    private static final int CHUNK = 256 * 1024;

    private final byte[] bytes;
    private final Budget budget;
    private final int held;

    private WholeObject(byte[] bytes, Budget budget, int held) {
        this.bytes = bytes;
        this.budget = budget;
        this.held = held;
    }

    /** The object's bytes, checked; null when it is to be streamed (its recorded size unknown or above {@link #MAX}, or not its size on disk). */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public void close() {
        budget.bytes.release(held);
    }

    /**
     * Takes the object's share of {@code budget} (503 when other renders hold it), then reads it
     * whole when it is small enough: the share is twice its size read whole (the array and the
     * values parsed from it), its size streamed (the parsed values), at most the whole budget.
     */
    static WholeObject read(RetrieveEngine retrieve, StoredInstance i, Budget budget) throws IOException {
        long size = i.record().size();
        boolean whole = size > 0 && size <= MAX;
        int held = budget.reserve(whole ? 2 * size : Math.max(size, 0));
        try {
            return new WholeObject(whole ? read(retrieve, i, (int) size) : null, budget, held);
        } catch (IOException | RuntimeException | Error e) {
            budget.bytes.release(held);
            throw e;
        }
    }

    private static byte[] read(RetrieveEngine retrieve, StoredInstance i, int size) throws IOException {
        byte[] b = new byte[size];
        try (InputStream in = retrieve.open(i)) {
            int done = 0;
            while (done < b.length) {
                int n = in.read(b, done, Math.min(CHUNK, b.length - done));
                if (n < 0) {
                    return java.util.Arrays.copyOf(b, done); // shorter than recorded and yet it passed the check
                }
                done += n;
            }
            if (in.read() < 0) { // the end of the stream, where the check runs
                return b;
            }
            // Longer on disk than recorded: damaged, or changed behind us. Never gathered in memory (it may be of any
            // size); the streaming path reads it again and its check decides, as before whole reads.
            return null;
        }
    }

    /**
     * Heap that whole objects being rendered may take at once, for one server: a quarter of the
     * maximum heap, in KiB (a semaphore's int). An object larger than all of it takes all of it,
     * so it is still rendered, alone.
     */
    static final class Budget {
        private final Semaphore bytes;
        private final int total;

        Budget(long totalBytes) {
            this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, totalBytes >> 10));
            this.bytes = new Semaphore(total);
        }

        static Budget ofHeap() {
            return new Budget(Runtime.getRuntime().maxMemory() / 4);
        }

        private int reserve(long size) {
            int kib = (int) Math.min(total, Math.max(1, (size + 1023) >> 10));
            if (!bytes.tryAcquire(kib)) {
                throw new HttpError(503, "the server is busy rendering large images; try again shortly");
            }
            return kib;
        }
    }
}
