package dev.steadfast.archive.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 19: when a write fails and its temporary file cannot be removed either (the folder turned read-only, as a
 * file system remounted read-only after an error does), the failure reported is the write's, with the clean-up's
 * riding along as suppressed; before, the clean-up's "operation not permitted" replaced it, and the sender's
 * status and the log named the wrong cause. Needs {@code chattr +i} (root on ext4): skipped without it.
 */
class Issue19StageFailureNotMaskedTest {
    @TempDir
    Path dir;

    @Test
    void theWritesOwnFailureIsReportedWhenTheTemporaryFileCannotBeRemoved() throws Exception {
        assumeTrue(chattr("+i", probe()) == 0 && !writable(dir.resolve("probe")), "chattr +i does not stop writes here");
        chattr("-i", dir.resolve("probe"));

        FileSystemStorage storage = new FileSystemStorage(dir.resolve("fs"));
        StorageKey first = StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.5");
        storage.put(first, InputStream.nullInputStream()); // the series folder exists
        Path folder = storage.pathOf(first).getParent();
        IOException senderGone = new IOException("association aborted by the sender");
        InputStream breaksOff = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent++ == 0) {
                    return Math.min(len, 1000);
                }
                if (chattr("+i", folder) != 0) { // the folder turns read-only mid-write, then the sender goes
                    throw new IllegalStateException("chattr failed");
                }
                throw senderGone;
            }
        };
        try {
            assertThatThrownBy(() -> storage.stage(StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.6"), breaksOff))
                    .as("the write's failure, not the clean-up's").isSameAs(senderGone)
                    .satisfies(e -> assertThat(e.getSuppressed()).as("the clean-up's, alongside").isNotEmpty());
        } finally {
            chattr("-i", folder);
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).count())
                    .as("the temporary file is kept for a later removal (the folder was read-only)").isEqualTo(1);
        }
    }

    private Path probe() throws IOException {
        return Files.createDirectories(dir.resolve("probe"));
    }

    private static boolean writable(Path folder) {
        try {
            Files.delete(Files.createFile(folder.resolve("x")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int chattr(String flag, Path p) {
        try {
            Process pr = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
            pr.getInputStream().readAllBytes();
            return pr.waitFor(10, TimeUnit.SECONDS) ? pr.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
