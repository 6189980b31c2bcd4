package dev.steadfast.archive.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Optional;

/**
 * The SHA-256 a file was written with, kept beside its bytes in a user extended attribute, so that scrub can
 * check a copy without the index. Best effort: a filesystem without user xattrs keeps none, and scrub then
 * compares replicas with each other and with the index instead.
 */
final class ChecksumAttribute {
    /** The attribute's name (without the {@code user.} prefix Linux shows). */
    static final String NAME = "steadfast.sha256";

    private ChecksumAttribute() {
    }

    /** Records {@code hex} on {@code file}; silently none where the filesystem keeps no user xattrs. */
    static void write(Path file, String hex) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view != null) {
                view.write(NAME, ByteBuffer.wrap(hex.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // none recorded: see the class comment
        }
    }

    /**
     * The SHA-256 recorded on {@code file}; empty when none is (written elsewhere, or no xattr support).
     *
     * @throws NoSuchFileException when there is no such file
     */
    static Optional<String> read(Path file) throws NoSuchFileException {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null) {
                return Optional.empty();
            }
            ByteBuffer buf = ByteBuffer.allocate(64);
            view.read(NAME, buf);
            return Optional.of(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the filesystem of {@code folder} keeps the attribute, tried on a probe file there.
     *
     * @throws IOException when it cannot be tried (e.g. the folder is missing), or the write fails: unknown for now
     */
    static boolean kept(Path folder) throws IOException {
        Path probe = Files.createTempFile(folder, ".xattr-", TemporaryFiles.SUFFIX);
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
            if (view == null) {
                return false;
            }
            view.write(NAME, ByteBuffer.wrap(new byte[] {'0'}));
            return view.list().contains(NAME);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
