package dev.steadfast.archive.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 19: the SHA-256 beside each file is written as its 32 bytes (small enough for ext4 to keep
 * in the inode, no extra block per file), and files of earlier releases, with the 64 hex digits
 * under the old name, are still read.
 */
class Issue19ChecksumAttributeTest {
    @TempDir
    Path dir;

    @Test
    void newFilesCarryTheRawDigestAndOldFilesTheirHexOneIsStillRead() throws Exception {
        FileSystemStorage fs = new FileSystemStorage(dir);
        assumeTrue(fs.recordsChecksums(), "no user xattrs on this filesystem");
        byte[] bytes = "DICM and some bytes".getBytes(StandardCharsets.US_ASCII);
        StorageKey key = StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.5");
        StoredObject stored = fs.put(key, new ByteArrayInputStream(bytes));
        String expected = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(stored.sha256()).isEqualTo(expected);
        assertThat(fs.recordedSha256(key)).contains(expected);

        UserDefinedFileAttributeView view = Files.getFileAttributeView(fs.pathOf(key), UserDefinedFileAttributeView.class);
        assertThat(view.list()).containsExactly(FileSystemStorage.SHA_ATTRIBUTE);
        assertThat(view.size(FileSystemStorage.SHA_ATTRIBUTE)).isEqualTo(32);

        // A file as an earlier release wrote it: hex digits under the old name only.
        StorageKey old = StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.6");
        fs.put(old, new ByteArrayInputStream(bytes));
        UserDefinedFileAttributeView oldView = Files.getFileAttributeView(fs.pathOf(old), UserDefinedFileAttributeView.class);
        oldView.delete(FileSystemStorage.SHA_ATTRIBUTE);
        oldView.write(FileSystemStorage.SHA_HEX_ATTRIBUTE, ByteBuffer.wrap(expected.getBytes(StandardCharsets.US_ASCII)));
        assertThat(fs.recordedSha256(old)).contains(expected);

        // Neither attribute: none recorded (not written by Steadfast).
        oldView.delete(FileSystemStorage.SHA_HEX_ATTRIBUTE);
        assertThat(fs.recordedSha256(old)).isEmpty();
    }
}
