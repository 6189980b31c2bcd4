package dev.steadfast.web.wado;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The direct buffers instance retrieve reads stored files into: one per response while it runs,
 * a few kept for the next ones, since direct memory is freed only when the collector gets to it.
 * Large enough that a typical instance (a CT slice is 0.5 MB) is read, checked and written whole.
 */
final class DirectBuffers {
    static final int SIZE = 4 * 1024 * 1024;
    private static final int KEPT = 4;
    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(KEPT);

    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(SIZE);
    }

    void give(ByteBuffer b) {
        if (b != null) {
            free.offer(b);
        }
    }
}
