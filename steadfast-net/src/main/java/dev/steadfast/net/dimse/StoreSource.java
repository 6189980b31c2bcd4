package dev.steadfast.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** An instance to send with C-STORE: its identity and a way to open its data set bytes (no File Meta Information). */
public interface StoreSource {
    String sopClassUid();

    String sopInstanceUid();

    /** The syntax {@link #openDataset()} is encoded in. */
    String transferSyntaxUid();

    InputStream openDataset() throws IOException;

    /**
     * The data set bytes, when this source already holds them in memory (read and checked by
     * {@link #verify()}), from the buffer's position to its limit, to be sent once instead of
     * {@link #openDataset()}; null (the default) to use {@link #openDataset()}. The buffer is the
     * source's until the send ends.
     */
    default java.nio.ByteBuffer heldDataset() throws IOException {
        return null;
    }

    /**
     * Checks, before a C-MOVE/C-GET sub-operation sends anything, that this instance can be sent
     * (e.g. its stored copy still matches its checksum). Throwing counts the sub-operation as
     * failed, with this SOP Instance UID in the Failed SOP Instance UID List; nothing is sent.
     * The default checks nothing.
     */
    default void verify() throws IOException {
    }

    /**
     * This instance re-encoded in {@code transferSyntaxUid}, or null when it cannot be (the
     * default). Asked before anything is sent, when the receiver accepted none of the syntaxes
     * the instance can go out in otherwise: a source with a transcoder serves it here.
     */
    default StoreSource convertedTo(String transferSyntaxUid) {
        return null;
    }

    /**
     * What the sender should be told about this instance before it goes out (for a file: meta
     * information that contradicts the data set); empty by default. Never patient data: UIDs only.
     */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }

    /**
     * A Part 10 file (or a bare data set); its header up to SOP Instance UID is read now, its data
     * set bytes when sent. Its identity is the data set's SOP Class and Instance UIDs.
     */
    static StoreSource ofFile(Path file) throws IOException {
        return FileStoreSource.open(file);
    }
}
