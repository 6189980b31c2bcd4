package dev.steadfast.archive.ingest;

import dev.steadfast.archive.storage.StorageException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Marks failures of the incoming stream ({@link InputFailure}) so that ingest does not take a
 * sender that went away for a storage failure.
 */
final class InputFailureGuard extends FilterInputStream {
    /** The incoming stream broke (not storage). */
    static final class InputFailure extends IOException {
        InputFailure(IOException cause) {
            super(cause);
        }
    }

    InputFailureGuard(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new InputFailure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new InputFailure(e);
        }
    }
}
