package dev.steadfast.archive.storage.replica;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-over of chunks from the thread reading the sender to one target's writer.
 * The producer never waits longer than its timeout on a target that stopped reading: that
 * target is dropped from the write, the others go on.
 */
final class Pipe {
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private volatile boolean consumerGone;

    Pipe(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Hands a chunk over (never modified afterwards); false when the consumer is gone or too slow. */
    boolean offer(byte[] chunk, long timeoutMillis) throws InterruptedException {
        // No check after the offer: a consumer that read END may finish (and be gone) at once.
        // One that failed instead reports its own error through its future.
        return !consumerGone && queue.offer(chunk, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    boolean finish(long timeoutMillis) throws InterruptedException {
        return offer(END, timeoutMillis);
    }

    /** Makes the consumer's next read fail, so its staging is discarded. */
    void abort() {
        consumerGone = true;
        queue.clear();
        queue.offer(ABORT);
    }

    /**
     * Consumer side for a reader of whole chunks (no copy): hands each to {@code sink}, in order, until the
     * end. Throws when the producer aborted.
     */
    void drainTo(dev.steadfast.archive.storage.TailSha256 sink) throws IOException, InterruptedException {
        try {
            for (byte[] next = queue.take(); next != END; next = queue.take()) {
                if (next == ABORT) {
                    throw new IOException("write abandoned");
                }
                sink.update(next, 0, next.length);
            }
        } finally {
            consumerDone();
        }
    }

    InputStream input() {
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos == chunk.length) {
                    if (ended) {
                        return -1;
                    }
                    byte[] next;
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                    if (next == ABORT) {
                        throw new IOException("write abandoned");
                    }
                    if (next == END) {
                        ended = true;
                    }
                    chunk = next;
                    pos = 0;
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                consumerGone = true;
                queue.clear();
            }
        };
    }

    /** The consumer stopped (finished, failed or closed its stream). */
    void consumerDone() {
        consumerGone = true;
        queue.clear();
    }
}
