package dev.steadfast.archive.retrieve;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where {@link RetrieveEngine#transfer} writes an object: one call per filled buffer, which is reused once the call returns. */
@FunctionalInterface
public interface ByteSink {
    void write(ByteBuffer bytes) throws IOException;
}
