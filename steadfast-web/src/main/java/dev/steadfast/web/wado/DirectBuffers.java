package dev.steadfast.web.wado;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct buffers instance retrieve reads stored files into: one per response while it runs,
 * a few kept for the next ones, since direct memory is freed only when the collector gets to it.
 * Large enough that a typical instance (a CT slice is 0.5 MB) is read, checked and written whole.
 * At most {@link #MAX_DIRECT} are out at once (64 MiB), so a crowd of viewers cannot exhaust
 * direct memory; beyond that a response gets a smaller heap buffer (the same path, more writes).
 */
final class DirectBuffers {
    static final int SIZE = 4 * 1024 * 1024;
    static final int MAX_DIRECT = 16;
    static final int HEAP_SIZE = 1024 * 1024;
    private static final int KEPT = 4;
    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(KEPT);
    private final AtomicInteger directOut = new AtomicInteger();

    ByteBuffer take() {
        if (directOut.incrementAndGet() > MAX_DIRECT) {
            directOut.decrementAndGet();
            return ByteBuffer.allocate(HEAP_SIZE);
        }
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(SIZE);
    }

    void give(ByteBuffer b) {
        if (b != null && b.isDirect()) {
            directOut.decrementAndGet();
            free.offer(b);
        }
    }
}
