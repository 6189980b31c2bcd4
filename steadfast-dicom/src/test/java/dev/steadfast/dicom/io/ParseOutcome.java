package dev.steadfast.dicom.io;

import dev.steadfast.dicom.DicomParseException;
import org.junit.jupiter.api.function.ThrowingSupplier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Runs one parse under a timeout and an allocation budget, and insists that it ends in
 * {@link DicomParseException} and nothing else. The budget stands in for a small heap: a reader
 * that trusts a bogus length allocates far more than the input, even when -Xmx would allow it.
 */
public final class ParseOutcome {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long BASE_BUDGET = 64L << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ParseOutcome() {}

    public interface Parse {
        Object run() throws IOException;
    }

    /** Bytes a parse of {@code inputLength} bytes may allocate: a fixed slack plus a few copies of the input. */
    public static long budgetFor(long inputLength) {
        return BASE_BUDGET + 8 * inputLength;
    }

    /**
     * Runs {@code parse} and returns what it threw (null for success). Fails on a timeout or when
     * the parse allocates more than {@code budget} bytes.
     */
    public static Throwable outcome(String what, long budget, Parse parse) {
        long[] allocated = new long[1];
        Throwable thrown = assertTimeoutPreemptively(TIMEOUT, (ThrowingSupplier<Throwable>) () -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                parse.run();
                return null;
            } catch (Throwable t) {
                return t; // returned, not rethrown, so an Error is reported as a wrong outcome
            } finally {
                allocated[0] = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
        }, what + ": did not finish within " + TIMEOUT);
        if (allocated[0] > budget) {
            throw new AssertionError(what + ": allocated " + allocated[0] + " bytes, over the budget of " + budget
                    + " (outcome: " + thrown + ")", thrown);
        }
        return thrown;
    }

    public static DicomParseException expectParseException(String what, Parse parse) {
        return expectParseException(what, BASE_BUDGET, parse);
    }

    public static DicomParseException expectParseException(String what, long budget, Parse parse) {
        Throwable thrown = outcome(what, budget, parse);
        if (thrown instanceof DicomParseException dpe) {
            assertThat(dpe.getMessage()).as(what).contains("at byte offset");
            return dpe;
        }
        if (thrown == null) {
            throw new AssertionError(what + ": parsed without error, expected DicomParseException");
        }
        throw new AssertionError(what + ": expected DicomParseException but got " + thrown, thrown);
    }

    /** The stream has no known length: {@link DicomReader#read} cannot check lengths against the file size. */
    public static DicomParseException fromStream(byte[] bytes, ReadOptions options) {
        return expectParseException("stream", budgetFor(bytes.length),
                () -> DicomReader.read(unknownLength(bytes), options));
    }

    public static DicomParseException fromFile(Path dir, byte[] bytes, ReadOptions options) throws IOException {
        Path f = Files.write(Files.createTempFile(dir, "hostile", ".dcm"), bytes);
        return expectParseException("file", budgetFor(bytes.length), () -> DicomReader.readFile(f, options));
    }

    /** A stream that does not report its size (available() = 0), read in small chunks like a socket. */
    public static InputStream unknownLength(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int available() {
                return 0;
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1500));
            }
        };
    }
}
