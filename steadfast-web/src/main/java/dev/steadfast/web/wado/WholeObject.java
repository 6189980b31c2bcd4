package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored object read whole into memory through the retrieve engine's check, for rendering (issue 19).
 * Its array is the size the index recorded, so parsing it copies each value once instead of growing
 * buffers over a stream; the read runs to the stream's end, where the check (SHA-256 on a first read,
 * CRC32C after) throws on a damaged copy, so nothing is rendered from bytes that did not pass it.
 * Larger objects than {@link #MAX} are left to the streaming path (null).
 */
final class WholeObject {
    /** Above this the object is parsed from its stream as before: one copy in memory, not two. */
    static final long MAX = 16L << 20; // bounded: the array and the parsed values are both on the heap meanwhile
    /** Reads of at most this size: the JDK reads a heap array from a file through a temporary direct buffer of the read's size. */
    private static final int CHUNK = 256 * 1024;

    private WholeObject() {}

    /** The object's bytes, checked; null when its recorded size is unknown or above {@link #MAX}. */
    static byte[] read(RetrieveEngine retrieve, StoredInstance i) throws IOException {
        long size = i.record().size();
        if (size <= 0 || size > MAX) {
            return null;
        }
        byte[] b = new byte[(int) size];
        try (InputStream in = retrieve.open(i)) {
            int done = 0;
            while (done < b.length) {
                int n = in.read(b, done, Math.min(CHUNK, b.length - done));
                if (n < 0) {
                    return java.util.Arrays.copyOf(b, done); // shorter than recorded and yet it passed the check
                }
                done += n;
            }
            int next = in.read(); // the end of the stream, where the check runs
            if (next < 0) {
                return b;
            }
            ByteArrayOutputStream more = new ByteArrayOutputStream(); // longer than recorded: keep reading
            more.writeBytes(b);
            more.write(next);
            in.transferTo(more);
            return more.toByteArray();
        }
    }
}
