package dev.steadfast.web.wado;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectBuffersTest {
    @Test
    void directMemoryIsBoundedAndComesBackWhenBuffersAreGiven() {
        DirectBuffers buffers = new DirectBuffers();
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < DirectBuffers.MAX_DIRECT; i++) {
            out.add(buffers.take());
        }
        assertThat(out).allMatch(ByteBuffer::isDirect);

        ByteBuffer overflow = buffers.take();
        assertThat(overflow.isDirect()).as("beyond the bound a response gets a heap buffer").isFalse();
        assertThat(overflow.capacity()).isEqualTo(DirectBuffers.HEAP_SIZE);
        buffers.give(overflow); // not counted, not kept

        buffers.give(out.remove(0));
        ByteBuffer again = buffers.take();
        assertThat(again.isDirect()).isTrue();
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(DirectBuffers.SIZE);
        assertThat(buffers.take().isDirect()).as("still at the bound").isFalse();
    }
}
