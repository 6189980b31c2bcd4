package dev.steadfast.archive.retrieve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Sends a local file verified earlier (its length and CRC32C known) through one reused direct
 * buffer: the kernel copies the page cache into it, CRC32C runs over it in place, and the socket
 * write takes it as it is, so no byte passes through the Java heap.
 */
final class FileTransfer {
    private FileTransfer() {}

    /**
     * The last buffer-full is checked before it goes out, so an object that fits in the buffer is
     * refused before any of it is written: then this returns false and the caller falls back to the
     * checked stream. A mismatch found after earlier buffers went out throws
     * {@link CorruptInstanceException} and withholds the rest (the receiver sees a cut-off body).
     */
    static boolean send(FileChannel ch, VerifiedCopies.Known known, ByteBuffer buf, ByteSink sink, String sopUid)
            throws IOException {
        long size = ch.size();
        if (size != known.length()) {
            return false;
        }
        CRC32C crc = new CRC32C();
        long done = 0;
        boolean wrote = false;
        do {
            buf.clear();
            if (size - done < buf.capacity()) {
                buf.limit((int) (size - done));
            }
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill the buffer
            }
            buf.flip();
            int got = buf.remaining();
            crc.update(buf);
            buf.rewind();
            done += got;
            boolean last = got == 0 || done >= size;
            if (last && (done != size || (int) crc.getValue() != known.crc32c())) {
                if (!wrote) {
                    return false;
                }
                throw new CorruptInstanceException(sopUid, String.format("CRC32C %08x over %d bytes, expected %08x over %d"
                        + " (taken when the copy last matched its SHA-256)", (int) crc.getValue(), done, known.crc32c(), known.length()));
            }
            if (got > 0) {
                sink.write(buf);
                wrote = true;
            }
        } while (done < size);
        return true;
    }
}
