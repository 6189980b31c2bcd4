package dev.steadfast.dicom;

import dev.steadfast.dicom.io.BoundedInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A value left where it was found: {@code length} bytes at {@code offset} in {@code file}.
 * The bytes are in the byte order of the transfer syntax they were read in. {@code file} is null
 * when the value was skipped while reading a stream: its place is known, its bytes were not kept.
 */
public record BulkData(Path file, long offset, long length, boolean bigEndian) {

    public BulkData {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
    }

    /** An input stream over exactly these bytes. */
    public InputStream openStream() throws IOException {
        if (file == null) {
            throw new IOException("bulk data of " + length + " bytes was skipped while streaming: not kept");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        return new BoundedInputStream(Channels.newInputStream(ch), length);
    }

    /** Loads the bytes; the caller decides whether that is sensible for the length. */
    public byte[] readAll() throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("bulk data of " + length + " bytes is too large to load");
        }
        try (InputStream in = openStream()) {
            byte[] b = in.readNBytes((int) length);
            if (b.length != length) {
                throw new IOException("bulk data truncated: " + b.length + " of " + length + " bytes in " + file);
            }
            return b;
        }
    }

    /** The {@code file:} URI form used for BulkDataURI, with offset and length as query parameters. */
    public String uri() {
        return file.toUri() + "?offset=" + offset + "&length=" + length;
    }
}
